import OpenAI from 'openai';
import { createApp, type AppOptions, type ParityApp } from '../../src/main/app';
import { HttpTransport } from '../../src/main/ipc/HttpTransport';
import { STORIES_MODEL, tempDir } from './tmp';

export interface ApiHarness extends AsyncDisposable {
  app: ParityApp;
  transport: HttpTransport;
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  key: string;
  client: OpenAI;
  call(route: string, input: unknown): Promise<unknown>;
}

/**
 * `parity serve`'s HTTP transport with the API mounted under /v1, as serve wires it, over a real
 * app (real SQLite in a temp dir, or the app given), plus one API key and an official client.
 */
export async function apiHarness(options: { app?: ParityApp; api?: AppOptions['api'] } = {}): Promise<ApiHarness> {
  const dir = options.app ? null : tempDir('parity-api-');
  const app = options.app ?? createApp({ dataDir: dir!.path, mode: 'serve', gpu: false, api: options.api, remote: { env: {} } });
  const call = async (route: string, input: unknown): Promise<unknown> => {
    const r = await app.router.handle(route, input, { transport: 'test' });
    if (!r.ok) throw new Error(`${route}: ${r.error.message}`);
    return r.data;
  };
  await call('settings.set', { key: 'defaultThreads', value: 1 });
  const transport = new HttpTransport({
    router: app.router,
    bus: app.bus,
    rendererDir: null,
    mounts: [{ prefix: '/v1', handle: (req, res, path) => app.api.openAi.handle(req, res, path) }],
  });
  const { port } = await transport.listen();
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const { key } = (await call('api.keys.create', { name: 'tests' })) as { key: string };
  const client = new OpenAI({ baseURL: baseUrl, apiKey: key, maxRetries: 0, timeout: 60_000 });
  return {
    app,
    transport,
    baseUrl,
    key,
    client,
    call,
    [Symbol.asyncDispose]: async () => {
      await transport.dispose();
      if (!options.app) await app.dispose();
      dir?.[Symbol.dispose]();
    },
  };
}

/** Links stories260K into the harness's library and returns its model ref (`local:<id>`). */
export async function importStories(h: Pick<ApiHarness, 'call'>): Promise<string> {
  const { model } = (await h.call('models.import', { path: STORIES_MODEL, mode: 'link' })) as { model: { id: string } };
  return `local:${model.id}`;
}
