import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const STORIES_SHA = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';

describe('parity chat', () => {
  it('imports a .gguf path on the fly and prints exactly one JSON object with text and metrics', async () => {
    using dir = tempDir();
    const io = cliIo();
    const args = ['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--json', '--max-tokens', '16', '--threads', '1', '--temperature', '0', '--seed', '1', 'Once upon a time'];
    const code = await runCli(args, io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const lines = io.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!);
    expect(Object.keys(result).sort()).toEqual(['costUsd', 'error', 'metrics', 'model', 'provider', 'retries', 'sampling', 'stopReason', 'text', 'usageEstimated']);
    expect(result.error).toBeNull();
    expect(result.sampling).toEqual({ temperature: 0, seed: 1, maxTokens: 16 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(['eos', 'max-tokens']).toContain(result.stopReason);
    expect(result.provider).toBe('local');
    expect(result.model.sha256).toBe(STORIES_SHA);
    expect(typeof result.model.id).toBe('string');
    expect(Object.keys(result.metrics).sort()).toEqual(
      ['completionTokens', 'decodeTokensPerSecond', 'loadMs', 'promptTokens', 'promptTokensPerSecond', 'totalMs', 'ttftMs'].sort(),
    );
    expect(result.metrics.completionTokens).toBeGreaterThan(0);
    expect(result.metrics.completionTokens).toBeLessThanOrEqual(16);
    expect(result.metrics.loadMs).toBeGreaterThan(0);
    expect(result.metrics.totalMs).toBeGreaterThanOrEqual(result.metrics.ttftMs);

    // The model is now in the library: the same prompt by id gives the same text (temperature 0).
    const again = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', '--model', result.model.id, '--json', '--max-tokens', '16', '--threads', '1', '--temperature', '0', '--seed', '1', 'Once upon a time'], again)).toBe(0);
    expect(JSON.parse(again.stdout()).text).toBe(result.text);
  });

  it('without sampling flags samples like a chat in the app: at most 1,024 tokens, temperature 0.7, a fresh seed each time', async () => {
    using dir = tempDir();
    const seeds: number[] = [];
    for (let i = 0; i < 2; i++) {
      const io = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--json', '--threads', '1', 'Once upon a time'], io)).toBe(0);
      const result = JSON.parse(io.stdout());
      expect(result.sampling).toMatchObject({ maxTokens: 1024, temperature: 0.7, seed: expect.any(Number) });
      expect(result.metrics.completionTokens).toBeLessThanOrEqual(1024);
      seeds.push(result.sampling.seed);
    }
    expect(seeds[0]).not.toBe(seeds[1]);
  });

  it('streams plain text and reports a missing model as an error', async () => {
    using dir = tempDir();
    const io = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--max-tokens', '8', '--threads', '1', '--temperature', '0', 'Hi'], io)).toBe(0);
    expect(io.stdout().trim().length).toBeGreaterThan(0);
    const missing = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', '--model', '/nonexistent/model.gguf', 'Hi'], missing)).toBe(1);
    expect(missing.stderr()).toMatch(/nonexistent/);
  });
});
