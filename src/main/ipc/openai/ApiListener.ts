import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiListenerStatus } from '../../../shared/contract/api';
import type { SettingKey } from '../../../shared/contract/settings';
import type { ApiEndpoints } from '../../core/api/ApiEndpoints';
import type { EventBus } from '../../core/events/EventBus';
import { isLoopbackHost } from '../HttpTransport';
import { writeJson } from './chatCompletions';
import type { OpenAiApi } from './OpenAiApi';

export interface ApiListenerOptions {
  api: Pick<OpenAiApi, 'handle'>;
  settings: { get(key: 'apiServerEnabled'): boolean; get(key: 'apiServerHost'): string; get(key: 'apiServerPort'): number };
  bus: EventBus;
  endpoints: ApiEndpoints;
  /** Where a warning about a non-loopback address goes. */
  warn?: (message: string) => void;
}

const KEYS: readonly SettingKey[] = ['apiServerEnabled', 'apiServerHost', 'apiServerPort'];

function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * The desktop app's own port for the OpenAI-compatible API (Settings → API): off by default,
 * loopback unless the user typed another address. It follows the settings while running: turning
 * it off closes the port, a new host or port re-opens it. Plain Node, so the shell only calls start().
 */
export class ApiListener implements AsyncDisposable {
  readonly #o: ApiListenerOptions;
  #server: Server | null = null;
  #withdraw: (() => void) | null = null;
  #state: { running: boolean; baseUrl: string | null; error: string | null } = { running: false, baseUrl: null, error: null };
  #unsubscribe: (() => void) | null = null;
  #applying: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(options: ApiListenerOptions) {
    this.#o = options;
  }

  /** Opens the port if the settings say so, and follows later changes. */
  async start(): Promise<ApiListenerStatus> {
    // Only an app that runs this port reports it: serve and the CLI show no listener at all.
    this.#o.endpoints.setListener(() => this.status());
    if (!this.#unsubscribe) {
      this.#unsubscribe = this.#o.bus.on('settings.changed', ({ key }) => {
        if (KEYS.includes(key)) void this.#apply();
      });
    }
    await this.#apply();
    return this.status();
  }

  status(): ApiListenerStatus {
    return {
      enabled: this.#o.settings.get('apiServerEnabled'),
      host: this.#o.settings.get('apiServerHost'),
      port: this.#o.settings.get('apiServerPort'),
      ...this.#state,
    };
  }

  /** Changes run one after another, so a quick off-on never leaves two servers. */
  #apply(): Promise<void> {
    this.#applying = this.#applying.then(() => this.#reconcile()).catch(() => undefined);
    return this.#applying;
  }

  async #reconcile(): Promise<void> {
    await this.#close();
    const enabled = this.#o.settings.get('apiServerEnabled');
    if (!enabled || this.#disposed) {
      this.#state = { running: false, baseUrl: null, error: null };
      this.#o.endpoints.changed();
      return;
    }
    const host = this.#o.settings.get('apiServerHost');
    const port = this.#o.settings.get('apiServerPort');
    if (!isLoopbackHost(host)) this.#o.warn?.(`The API port listens on ${host}:${port}: other machines can reach it (each request still needs an API key).`);
    const server = createServer((req, res) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'no-store');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/v1' || path.startsWith('/v1/')) {
        void this.#o.api.handle(req, res, path.slice('/v1'.length));
        return;
      }
      writeJson(res, 404, { error: { message: `Nothing at ${path}. The API is under /v1.`, type: 'invalid_request_error', code: 'unknown_url', param: null } });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (error) {
      const message = (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `Port ${port} on ${host} is in use; choose another port.` : `Could not listen on ${host}:${port}: ${(error as Error).message}`;
      this.#state = { running: false, baseUrl: null, error: message };
      this.#o.endpoints.changed();
      return;
    }
    this.#server = server;
    const actual = (server.address() as AddressInfo).port;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : urlHost(host);
    const baseUrl = `http://${shown}:${actual}/v1`;
    this.#state = { running: true, baseUrl, error: null };
    this.#withdraw = this.#o.endpoints.announce(baseUrl);
  }

  async #close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    this.#withdraw?.();
    this.#withdraw = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#apply();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
