import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo, useFakeOpenAi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('parity chat --json when the stream breaks midway', () => {
  const fakeOpenAi = useFakeOpenAi();

  it('exits 1 with the partial text, stopReason "error" and error {code, message}, and says why on stderr', async () => {
    using dir = tempDir();
    const server = fakeOpenAi();
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
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', 'Say hello', '--model', 'openai:gpt-4o-mini', '--json'], chat)).toBe(0);
    expect(JSON.parse(chat.stdout())).toMatchObject({ text: 'Hello, world!', stopReason: 'eos', error: null });
    expect(chat.stderr()).toBe('');
  });
});
