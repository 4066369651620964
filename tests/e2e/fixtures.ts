import { test as base, expect, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { startServe } from '../helpers/serveProcess';

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Requests the page made to anything but loopback (must stay empty). */
  foreignRequests: string[];
  /** POST /api/<route> with the token, as the page would. */
  api<T = unknown>(route: string, input?: unknown): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }>;
}

export function isLoopbackUrl(raw: string): boolean {
  const { protocol, hostname } = new URL(raw);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]' || hostname === '::1';
}

export const test = base.extend<{ serve: ServeHandle; appPage: Page }>({
  serve: async ({}, use) => {
    const { proc, url, dataDir } = await startServe();
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token')!;
    const handle: ServeHandle = {
      url,
      origin: parsed.origin,
      token,
      dataDir,
      foreignRequests: [],
      async api(route, input = {}) {
        const res = await fetch(`${parsed.origin}/api/${route}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(input),
        });
        return res.json();
      },
    };
    await use(handle);
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
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
