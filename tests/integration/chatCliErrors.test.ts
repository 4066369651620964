import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from '../helpers/fakeProviders/providerApp';
import { cliIo, useSavedEnv } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_OFFLINE'];

describe('parity chat --json when the stream breaks midway', () => {
  useSavedEnv(ENV_NAMES);

  it('exits 1 with the partial text, stopReason "error" and error {code, message}, and says why on stderr', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    delete process.env.PARITY_OFFLINE;
    server.faults.push({ kind: 'reset-mid', afterChunks: 2 });
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', 'Say hello', '--model', 'openai:gpt-4o-mini', '--json'], chat)).toBe(1);
    const lines = chat.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!) as { text: string; stopReason: string; error: { code: string; message: string } | null };
    expect(out.stopReason).toBe('error');
    expect(out.text).toBe('Hello, ');
    expect(out.error).toEqual({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
    expect(out.error!.message.length).toBeGreaterThan(0);
    expect(chat.stderr()).toContain(out.error!.message);
  });

  it('reports error: null when nothing failed', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    delete process.env.PARITY_OFFLINE;
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', 'Say hello', '--model', 'openai:gpt-4o-mini', '--json'], chat)).toBe(0);
    expect(JSON.parse(chat.stdout())).toMatchObject({ text: 'Hello, world!', stopReason: 'eos', error: null });
    expect(chat.stderr()).toBe('');
  });
});
