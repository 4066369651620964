import { test as base, expect, type Page } from '@playwright/test';
import { startServe, type ServeProcess } from '../helpers/serveProcess';

/** The `serve` fixture: a `parity serve` of the test's own, its API (`api` answers the router's envelope, `call` the data) and the page's foreign requests. */
export type ServeHandle = Pick<ServeProcess, 'url' | 'origin' | 'token' | 'dataDir' | 'api' | 'call'> & {
  /** Requests the page made to anything but loopback (must stay empty). */
  foreignRequests: string[];
};

export function isLoopbackUrl(raw: string): boolean {
  const { protocol, hostname } = new URL(raw);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

export const test = base.extend<{ serve: ServeHandle; appPage: Page }>({
  serve: async ({}, use) => {
    const serve = await startServe();
    await use({ url: serve.url, origin: serve.origin, token: serve.token, dataDir: serve.dataDir, api: serve.api, call: serve.call, foreignRequests: [] });
    await serve.stop();
  },
  appPage: async ({ page, serve }, use) => {
    page.on('request', (request) => {
      if (!isLoopbackUrl(request.url())) serve.foreignRequests.push(request.url());
    });
    await page.goto(serve.url);
    await use(page);
    expect(serve.foreignRequests, 'the page must not contact any non-loopback host').toEqual([]);
  },
});

export { expect, startServe };
