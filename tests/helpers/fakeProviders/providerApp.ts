import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type ParityApp } from '../../../src/main/app';
import type { RetryPolicy } from '../../../src/main/core/generation/retryPolicy';
import { tempDir } from '../tmp';
import { FakeProviderServer, type FakeProviderServerOptions, type Wire } from './FakeProviderServer';

export const FAKE_KEYS: Record<Wire, string> = {
  openai: 'sk-test-OPENAI-0123456789abcdefWXYZ',
  anthropic: 'sk-ant-test-ANTHROPIC-0123456789abcdQRST',
  google: 'AIzaTEST-GOOGLE-0123456789abcdefLMNO',
  compat: 'gsk_test-COMPAT-0123456789abcdefHIJK',
};

export const FAKE_MODELS: Record<Wire, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  google: 'gemini-2.5-flash',
  compat: 'llama-3.1-8b-instant',
};

export interface ProviderHarness extends AsyncDisposable {
  app: ParityApp;
  servers: Record<Wire, FakeProviderServer>;
  dataDir: string;
  /** The environment the app was given (base URLs, keys, PARITY_POLICY_FILE): to open another app on `dataDir` the same way. */
  env: NodeJS.ProcessEnv;
  /** `openai:gpt-4o-mini`, `compat:fake/llama-3.1-8b-instant`, ... */
  ref(wire: Wire, model?: string): string;
}

export interface ProviderHarnessOptions {
  env?: NodeJS.ProcessEnv;
  offline?: boolean;
  policy?: Partial<RetryPolicy>;
  server?: Partial<FakeProviderServerOptions>;
  /** Put keys in the environment (CLI style); otherwise store them through the router (UI style). */
  keysVia?: 'env' | 'router' | 'none';
  /** A data policy's YAML: written to a file outside the data dir (removed on dispose) that PARITY_POLICY_FILE names. */
  dataPolicy?: string;
}

/** A real app (real SQLite in a temp dir) whose cloud providers point at loopback fake servers. */
export async function providerHarness(options: ProviderHarnessOptions = {}): Promise<ProviderHarness> {
  const dir = tempDir('parity-providers-');
  const wires: Wire[] = ['openai', 'anthropic', 'google', 'compat'];
  const servers = {} as Record<Wire, FakeProviderServer>;
  for (const wire of wires) {
    servers[wire] = await FakeProviderServer.start({ wire, key: FAKE_KEYS[wire], models: [FAKE_MODELS[wire]], ...options.server });
  }
  const keysVia = options.keysVia ?? 'env';
  const policyDir = options.dataPolicy === undefined ? undefined : tempDir('parity-policy-');
  const policyFile = policyDir && join(policyDir.path, 'policy.yaml');
  if (policyFile) writeFileSync(policyFile, options.dataPolicy!);
  const env: NodeJS.ProcessEnv = {
    OPENAI_BASE_URL: servers.openai.baseUrl,
    ANTHROPIC_BASE_URL: servers.anthropic.baseUrl,
    GEMINI_BASE_URL: servers.google.baseUrl,
    ...(keysVia === 'env'
      ? { OPENAI_API_KEY: FAKE_KEYS.openai, ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, GEMINI_API_KEY: FAKE_KEYS.google, FAKE_COMPAT_KEY: FAKE_KEYS.compat }
      : {}),
    ...(policyFile ? { PARITY_POLICY_FILE: policyFile } : {}),
    ...options.env,
  };
  const app = createApp({
    dataDir: dir.path,
    mode: 'cli',
    gpu: false,
    remote: { env, offline: options.offline, policy: { baseDelayMs: 10, maxDelayMs: 2000, ...options.policy } },
  });
  const compat = await call(app, 'providers.addEndpoint', { name: 'fake', baseUrl: servers.compat.baseUrl, models: [FAKE_MODELS.compat] });
  if (!compat.ok) throw new Error(`addEndpoint failed: ${compat.error.message}`);
  if (keysVia === 'env') {
    await call(app, 'providers.setKey', { provider: 'compat:fake', key: FAKE_KEYS.compat });
  } else if (keysVia === 'router') {
    for (const [provider, wire] of [['openai', 'openai'], ['anthropic', 'anthropic'], ['google', 'google'], ['compat:fake', 'compat']] as const) {
      const r = await call(app, 'providers.setKey', { provider, key: FAKE_KEYS[wire] });
      if (!r.ok) throw new Error(`setKey failed: ${r.error.message}`);
    }
  }
  const dispose = async (): Promise<void> => {
    await app.dispose();
    for (const s of Object.values(servers)) await s[Symbol.asyncDispose]();
    dir[Symbol.dispose]();
    policyDir?.[Symbol.dispose]();
  };
  return {
    app,
    servers,
    dataDir: dir.path,
    env,
    ref: (wire, model = FAKE_MODELS[wire]) => (wire === 'compat' ? `compat:fake/${model}` : `${wire}:${model}`),
    dispose: dispose,
    [Symbol.asyncDispose]: dispose,
  } as ProviderHarness & { dispose: () => Promise<void> };
}

/** Calls a route the way a renderer would (through validation), returning the raw result. */
export function call(app: ParityApp, route: string, input: unknown = {}) {
  return app.router.handle(route, input, { transport: 'test' });
}

/** Runs a generation to the end and returns the deltas and the final event. */
export async function collect(stream: AsyncIterable<import('../../../src/main/core/providers/ModelProvider').StreamEvent>) {
  const deltas: string[] = [];
  for await (const event of stream) {
    if (event.type === 'delta') deltas.push(event.text);
    else return { deltas, done: event };
  }
  throw new Error('stream ended without done');
}
