import { afterEach, beforeEach } from 'vitest';
import type { CliIo } from '../../src/main/cli/program';
import { FakeProviderServer, type FakeProviderServerOptions } from './fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from './fakeProviders/providerApp';

/** A CliIo that keeps what the command wrote, to read back after `runCli` returns. */
export function cliIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

/**
 * Registers hooks that snapshot the named environment variables before each test and put them
 * back after it (deleting the ones that were unset), and clear `process.exitCode` both times:
 * tests share one process, so a key, base URL or exit code one test sets must not leak into the next.
 */
export function useSavedEnv(names: readonly string[]): void {
  let saved: Array<[string, string | undefined]> = [];
  beforeEach(() => {
    saved = names.map((n) => [n, process.env[n]]);
    process.exitCode = undefined;
  });
  afterEach(() => {
    for (const [n, v] of saved) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
    process.exitCode = undefined;
  });
}

/**
 * A fake OpenAI server started before each test and stopped after it, with OPENAI_API_KEY and
 * OPENAI_BASE_URL pointing at it and PARITY_OFFLINE unset (all three restored after the test).
 * `apiKey` is the key the app sends: another than FAKE_KEYS.openai makes every call fail with 401.
 * Returns the running test's server.
 */
export function useFakeOpenAi(options: Omit<FakeProviderServerOptions, 'wire' | 'key'> = {}, apiKey: string = FAKE_KEYS.openai): () => FakeProviderServer {
  useSavedEnv(['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_OFFLINE']);
  let server: FakeProviderServer | undefined;
  beforeEach(async () => {
    server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai, ...options });
    Object.assign(process.env, { OPENAI_API_KEY: apiKey, OPENAI_BASE_URL: server.baseUrl });
    delete process.env.PARITY_OFFLINE;
  });
  afterEach(async () => {
    await server?.[Symbol.asyncDispose]();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('useFakeOpenAi: the server runs only inside a test');
    return server;
  };
}
