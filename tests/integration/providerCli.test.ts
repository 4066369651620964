import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from '../helpers/fakeProviders/providerApp';
import { cliIo, useSavedEnv } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'FAKE_COMPAT_KEY', 'PARITY_OFFLINE', 'PARITY_PROVIDERS_FILE'];

describe('CLI with remote providers', () => {
  useSavedEnv(ENV_NAMES);

  it('chat --json reports provider, costUsd, retries and usageEstimated; audit prints the call', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    server.faults.push({ kind: 'status', status: 503 });
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', 'Say hello', '--model', 'openai:gpt-4o-mini', '--json'], chat)).toBe(0);
    const out = JSON.parse(chat.stdout()) as Record<string, unknown>;
    expect(out).toMatchObject({ text: 'Hello, world!', provider: 'openai', retries: 1, usageEstimated: false });
    expect(out.costUsd).toBeCloseTo((12 * 0.15 + 4 * 0.6) / 1e6, 12);
    expect(chat.stdout() + chat.stderr()).not.toContain(FAKE_KEYS.openai);

    const audit = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'audit', '--json'], audit)).toBe(0);
    const log = JSON.parse(audit.stdout()) as { rows: Array<{ status: string }>; total: number; verify: { ok: boolean } };
    expect(log.total).toBe(2);
    expect(log.rows.map((r) => r.status)).toEqual(['ok', 'error:PROVIDER_UNAVAILABLE']);
    expect(log.verify.ok).toBe(true);
    const text = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'audit'], text)).toBe(0);
    expect(text.stdout()).toContain('chain intact (2 rows)');
    expect(text.stdout()).toContain(`127.0.0.1:${server.port}`);
  });

  it('--offline blocks the request: nonzero exit, zero requests at the server, clear message', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'openai' });
    process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, '--offline', 'chat', 'hi', '--model', 'openai:gpt-4o-mini', '--json'], chat)).not.toBe(0);
    expect(chat.stderr() + chat.stdout()).toContain('Offline mode');
    expect(server.requests).toHaveLength(0);
    // The flag does not leak into the next run of the same process.
    expect(process.env.PARITY_OFFLINE).toBeUndefined();
  });

  it('--providers <file.yaml> configures OpenAI-compatible endpoints with apiKeyEnv', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'compat', key: FAKE_KEYS.compat });
    process.env.FAKE_COMPAT_KEY = FAKE_KEYS.compat;
    const file = join(dir.path, 'providers.yaml');
    writeFileSync(file, `endpoints:\n  - name: myvllm\n    baseUrl: ${server.baseUrl}\n    apiKeyEnv: FAKE_COMPAT_KEY\n    models: [llama-3.1-8b-instant]\n`);
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, '--providers', file, 'chat', 'hi', '--model', 'compat:myvllm/llama-3.1-8b-instant', '--json'], chat)).toBe(0);
    const out = JSON.parse(chat.stdout()) as Record<string, unknown>;
    expect(out).toMatchObject({ text: 'Hello, world!', provider: 'compat', costUsd: null });
    expect(server.generationRequests[0]!.headers.authorization).toBe(`Bearer ${FAKE_KEYS.compat}`);
  });

  it('a malformed providers file is a usage error that names the problem', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'bad.yaml');
    writeFileSync(file, 'endpoints:\n  - name: "Bad Name"\n    baseUrl: not-a-url\n');
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, '--providers', file, 'audit'], chat)).not.toBe(0);
    expect(chat.stderr()).toMatch(/providers file .* is invalid/);
  });
});
