import { afterEach, beforeEach } from 'vitest';
import type { CliIo } from '../../src/main/cli/program';

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
