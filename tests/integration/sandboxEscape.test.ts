import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/main/cli/program';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

/**
 * What a shared suite file tried against the old `node:vm` sandbox (it read /etc/passwd, ran `id`,
 * wrote a file, made a request while Offline and SIGKILLed `parity eval`). Each payload would pass
 * its assertion if it reached the host; in the isolate each must fail with a reason.
 */
function payloads(canary: string, url: string): Record<string, string> {
  const c = JSON.stringify(canary);
  const u = JSON.stringify(url);
  return {
    'context constructor chain reads /etc/passwd': `context.constructor.constructor('return process')().getBuiltinModule('fs').readFileSync('/etc/passwd', 'utf8').includes('root')`,
    'this constructor chain runs a process': `this.constructor.constructor('return process')().getBuiltinModule('child_process').execSync('touch ' + ${c}) !== null`,
    'globalThis chain SIGKILLs the eval': `const p = globalThis.constructor.constructor('return process')();\np.kill(p.pid, 'SIGKILL');\nreturn true;`,
    'arguments chain writes a file': `const p = arguments.constructor.constructor('return process')();\np.getBuiltinModule('fs').writeFileSync(${c}, 'x');\nreturn true;`,
    'output string chain reaches process': `output.constructor.constructor('return process')().pid > 0`,
    'Function prototype chain reaches require': `(function () {}).constructor('return require')()('fs').writeFileSync(${c}, 'x') === undefined`,
    'plain process and require': `process.getBuiltinModule('fs').writeFileSync(${c}, 'x') || require('fs') !== null`,
    'dynamic import writes a file': `import('node:fs').then((fs) => { fs.writeFileSync(${c}, 'x'); return true; })`,
    'fetch makes a request': `fetch(${u}).then(() => true)`,
    'SharedArrayBuffer with Atomics.wait blocks forever': `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) === 'ok'`,
    'ArrayBuffer bomb': `const a = [];\nfor (;;) a.push(new ArrayBuffer(1e7));\nreturn true;`,
    'infinite loop': `while (true) {}\nreturn true;`,
    'regex bomb': `/^(a+)+$/.test('a'.repeat(40) + '!') || true`,
  };
}

let savedGpu: string | undefined;
let server: Server;
let requests = 0;
let url = '';
beforeAll(async () => {
  savedGpu = process.env.PARITY_GPU;
  process.env.PARITY_GPU = 'off';
  server = createServer((req, res) => {
    requests++;
    res.end('leaked');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/leak`;
});
afterAll(async () => {
  if (savedGpu === undefined) delete process.env.PARITY_GPU;
  else process.env.PARITY_GPU = savedGpu;
  await new Promise((resolve) => server.close(resolve));
});

describe('a shared suite cannot reach the machine', () => {
  it('every escape payload fails its assertion with a reason; nothing is read, written, spawned or sent; exit 1', async () => {
    using dir = tempDir();
    const canary = join(dir.path, 'escaped.txt');
    const attacks = payloads(canary, url);
    const suite = {
      description: 'hostile suite',
      prompts: ['Once upon a time'],
      providers: [{ id: `local:${STORIES_MODEL}`, config: { temperature: 0, seed: 1, max_tokens: 4, threads: 1 } }],
      tests: [
        {
          description: 'escapes',
          metadata: { id: 'escapes' },
          assert: [
            ...Object.values(attacks).map((value) => ({ type: 'javascript', value })),
            // The sandbox still evaluates honest code, including text that mentions `return`.
            { type: 'javascript', value: "typeof output === 'string' && !output.includes('return')" },
          ],
        },
      ],
    };
    const path = join(dir.path, 'hostile.yaml');
    writeFileSync(path, stringify(suite));
    const report = join(dir.path, 'report.json');
    const err: string[] = [];
    const code = await runCli(['--data-dir', dir.path, '--offline', 'eval', path, '--json', report, '--fail-under', '1'], { out: () => undefined, err: (t) => void err.push(t) });

    expect(code, err.join('')).toBe(1);
    const results = JSON.parse(readFileSync(report, 'utf8')).cells[0].assertions as Array<{ pass: boolean; reason: string }>;
    const names = Object.keys(attacks);
    expect(results).toHaveLength(names.length + 1);
    names.forEach((name, i) => {
      expect(results[i]!.pass, `${name}: ${results[i]!.reason}`).toBe(false);
      expect(results[i]!.reason, name).toMatch(/JavaScript assertion failed: .+/);
    });
    expect(results[names.indexOf('infinite loop')]!.reason).toMatch(/timed out/);
    expect(results[names.indexOf('regex bomb')]!.reason).toMatch(/timed out/);
    expect(results[names.indexOf('ArrayBuffer bomb')]!.reason).toMatch(/out of memory|timed out/);
    expect(results.at(-1)!.pass, results.at(-1)!.reason).toBe(true);

    expect(existsSync(canary)).toBe(false);
    expect(requests).toBe(0);
    const db = new Database(join(dir.path, 'parity.db'), { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
  });
});
