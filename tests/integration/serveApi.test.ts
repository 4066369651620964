import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../helpers/buildCli';
import { startServe, type ServeProcess } from '../helpers/serveProcess';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

let cli: { script: string; dir: string };
const dir = tempDir('parity-serve-api-');
let serve: ServeProcess | null = null;

beforeAll(async () => {
  cli = await buildCli();
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  if (cli) rmSync(cli.dir, { recursive: true, force: true });
  dir[Symbol.dispose]();
});

function parity(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli.script, '--data-dir', dir.path, ...args], { encoding: 'utf8', env: { ...process.env, PARITY_GPU: 'off' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('`parity serve` with the API: the flow the README shows', () => {
  it('prints the UI URL and the API base URL; a key from `parity api-keys create` streams a curl-style request; no key is a 401', async () => {
    expect(parity('models', 'add', STORIES_MODEL, '--link').status).toBe(0);
    const listed = parity('models', 'list', '--json');
    const id = (JSON.parse(listed.stdout) as Array<{ id: string }>)[0]!.id;
    const created = parity('api-keys', 'create', 'curl');
    expect(created.status).toBe(0);
    const key = created.stdout.trim();

    serve = await startServe({ script: cli.script, dataDir: dir.path, env: { PARITY_GPU: 'off' } });
    const { printed } = serve;
    expect(printed).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const base = /OpenAI-compatible API: (\S+)/.exec(printed)![1]!;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    const body = JSON.stringify({ model: `local:${id}`, stream: true, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] });
    const res = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const first = JSON.parse(events[0]!.slice('data: '.length)) as { object: string; choices: Array<{ delta: { role?: string } }> };
    expect(first.object).toBe('chat.completion.chunk');
    expect(first.choices[0]!.delta.role).toBe('assistant');

    const anonymous = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });
});
