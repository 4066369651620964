import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/buildCli';
import { tempDir } from '../helpers/tmp';

let cli: { script: string; dir: string };

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

afterAll(() => {
  if (cli) rmSync(cli.dir, { recursive: true, force: true });
});

/** Runs the built CLI with its stdout piped into a reader that has already gone away, like `| head` that exited. */
function runIntoClosedReader(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli.script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closing the only read end: every write of the child to stdout fails with EPIPE.
    proc.stdout.destroy();
    let stderr = '';
    proc.stderr.on('data', (c) => (stderr += String(c)));
    proc.once('error', reject);
    proc.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('parity writing into a pipe whose reader has gone (`parity audit | head`)', () => {
  it.each([['audit'], ['audit', '--json'], ['models', 'list'], ['--help']].map((c) => [c.join(' '), c] as const))('parity %s exits 0 with nothing on stderr', async (_name, command) => {
    using dir = tempDir();
    const result = await runIntoClosedReader(['--data-dir', dir.path, ...command]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
