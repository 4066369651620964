import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSnippet } from '../../src/renderer/settings/api/apiSnippets';
import { apiHarness, importStories, type ApiHarness } from '../helpers/apiHarness';

const run = promisify(execFile);
let h: ApiHarness;
let model: string;
// Inside the project so the JS snippet's `import 'openai'` resolves from node_modules.
const scratch = mkdtempSync(join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'parity-snippet-'));

beforeAll(async () => {
  h = await apiHarness();
  model = await importStories(h);
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Settings → API snippets run as shown', () => {
  it('the JavaScript snippet prints an answer through the official client', async () => {
    const file = join(scratch, 'snippet.mjs');
    writeFileSync(file, apiSnippet('javascript', h.baseUrl, model));
    const { stdout } = await run(process.execPath, [file], { env: { ...process.env, PARITY_API_KEY: h.key }, timeout: 60_000 });
    expect(stdout.trim().length).toBeGreaterThan(0);
  });

  it('the curl snippet streams server-sent events ending in [DONE]', async () => {
    const { stdout } = await run('bash', ['-c', apiSnippet('curl', h.baseUrl, model)], { env: { ...process.env, PARITY_API_KEY: h.key }, timeout: 60_000 });
    expect(stdout.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('no snippet contains a key', () => {
    for (const kind of ['curl', 'python', 'javascript'] as const) expect(apiSnippet(kind, h.baseUrl, model)).not.toContain(h.key);
  });
});
