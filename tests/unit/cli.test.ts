import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';

describe('parity CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const io = cliIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/Usage: parity/);
    expect(io.stdout()).toMatch(/serve/);
    expect(io.stdout()).toMatch(/--data-dir/);
  });

  it('an unknown flag prints usage and exits non-zero', async () => {
    const io = cliIo();
    expect(await runCli(['serve', '--bogus'], io)).toBe(2);
    expect(io.stderr()).toMatch(/unknown option '--bogus'/);
    expect(io.stderr()).toMatch(/Usage: parity serve/);
  });

  it('an unknown command exits non-zero', async () => {
    const io = cliIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr()).toMatch(/unknown command/);
  });

  it('a bad port is a usage error', async () => {
    const io = cliIo();
    expect(await runCli(['serve', '--port', 'http'], io)).toBe(2);
    expect(io.stderr()).toMatch(/port/);
  });
});
