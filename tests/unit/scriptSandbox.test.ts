import { afterAll, describe, expect, it } from 'vitest';
import { SandboxError, ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';

const sandbox = new ScriptSandbox({ timeoutMs: 300 });
afterAll(() => sandbox.dispose());

const run = (code: string, output = 'x', context: Record<string, unknown> = {}) => sandbox.run(code, output, context);

describe('ScriptSandbox: expression or body is decided by parsing', () => {
  it('text that mentions return is still an expression', async () => {
    await expect(run("output.includes('return')", 'we return soon')).resolves.toBe(true);
    await expect(run("output.includes('return')", 'no')).resolves.toBe(false);
    await expect(run('output.length > 3 // long enough', 'abcd')).resolves.toBe(true);
    await expect(run('output.length > 3;', 'abcd')).resolves.toBe(true);
  });

  it('a function body runs as one, with output and context', async () => {
    await expect(run('const n = output.length;\nreturn { pass: n === context.n, score: 0.5, reason: "len " + n };', 'abc', { n: 3 })).resolves.toEqual({ pass: true, score: 0.5, reason: 'len 3' });
    await expect(run('if (output) { return 1 }', 'a')).resolves.toBe(1);
    await expect(run('let a = 1; a += 1')).resolves.toBeUndefined();
  });

  it('a returned promise is settled inside the isolate', async () => {
    await expect(run('Promise.resolve(output === "x")')).resolves.toBe(true);
    await expect(run('new Promise(() => {})')).rejects.toThrow(/never settled/);
    await expect(run('Promise.reject(new TypeError("nope"))')).rejects.toThrow(/TypeError: nope/);
  });

  it('only plain data crosses: the input is a copy and the result is JSON', async () => {
    await expect(run('(context.list.push(4), context.list)', 'x', { list: [1, 2, 3] })).resolves.toEqual([1, 2, 3, 4]);
    await expect(run('(() => { const a = {}; a.self = a; return a; })()')).rejects.toThrow(SandboxError);
    await expect(run('typeof require + typeof process + typeof fetch + typeof setTimeout + typeof console')).resolves.toBe('undefinedundefinedundefinedundefinedundefined');
  });

  it('reports time, memory and exceptions as distinct kinds and keeps working afterwards', async () => {
    await expect(run('for (;;) {}')).rejects.toMatchObject({ kind: 'timeout', message: 'timed out after 300 ms' });
    await expect(run('/^(a+)+$/.test("a".repeat(40) + "!")')).rejects.toMatchObject({ kind: 'timeout' });
    await expect(run('null.x')).rejects.toMatchObject({ kind: 'error', message: expect.stringMatching(/TypeError/) });
    const big = new ScriptSandbox({ timeoutMs: 10_000, memoryMb: 16 });
    try {
      await expect(big.run('new ArrayBuffer(64 * 1024 * 1024).byteLength', '', {})).rejects.toMatchObject({ kind: 'memory' });
      await expect(big.run('new ArrayBuffer(1024).byteLength', '', {})).resolves.toBe(1024);
    } finally {
      await big.dispose();
    }
    await expect(run('1 + 1')).resolves.toBe(2);
  });

  it('tests a regular expression under the time limit', async () => {
    await expect(sandbox.testRegex('^\\d+$', '', '123')).resolves.toBe(true);
    await expect(sandbox.testRegex('^a$', 'i', 'A')).resolves.toBe(true);
    await expect(sandbox.testRegex('^(a+)+$', '', `${'a'.repeat(40)}!`)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('a cancelled run stops and later runs still work; a disposed sandbox refuses', async () => {
    const controller = new AbortController();
    const pending = sandbox.run('for (;;) {}', 'x', {}, { signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    await expect(run('2 * 3')).resolves.toBe(6);
    const closed = new ScriptSandbox();
    await closed.dispose();
    await expect(closed.run('1', '', {})).rejects.toMatchObject({ kind: 'aborted' });
  });
});
