import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_OFFLINE'];

const SUITE = `description: nothing measured
prompts: ['{{q}}']
providers: [openai:gpt-4o-mini]
tests:
  - vars: { q: Say hello }
    assert: [{ type: icontains, value: hello }]
  - vars: { q: Say bye }
    assert: [{ type: icontains, value: bye }]
`;

describe('parity eval: a model with no finished cell was not measured, it did not score 0%', () => {
  let saved: Record<string, string | undefined>;
  let server: FakeProviderServer;
  beforeEach(async () => {
    saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
    server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    // A key the fake refuses: every cell errors before any answer.
    Object.assign(process.env, { OPENAI_API_KEY: 'sk-wrong-key-0000', OPENAI_BASE_URL: server.baseUrl });
    delete process.env.PARITY_OFFLINE;
  });
  afterEach(async () => {
    process.exitCode = undefined;
    await server[Symbol.asyncDispose]();
    for (const [n, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  });

  it('prints "-" and "nothing measured" instead of 0.0%, and --fail-under fails it as not measured', async () => {
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    const json = join(dir.path, 'out.json');
    writeFileSync(suite, SUITE);
    const out = { stdout: '', stderr: '' };
    const io = { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) };
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--models', 'openai:gpt-4o-mini', '--fail-under', '0', '--json', json], io)).toBe(1);
    expect(out.stdout).toMatch(/openai:gpt-4o-mini\s+-\s+nothing measured\s+0\/2 cells/);
    expect(out.stdout).not.toContain('0.0%');
    // Even a bar of 0 is not met by a model that was never measured.
    expect(out.stderr).toContain('openai:gpt-4o-mini: nothing measured (no cell finished), so --fail-under 0.0% is not met');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { models: Array<{ id: string; passRate: number | null; errors: number }> };
    expect(report.models[0]).toMatchObject({ id: 'openai:gpt-4o-mini', passRate: null, errors: 2 });
  });
});
