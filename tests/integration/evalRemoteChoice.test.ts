import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_OFFLINE'];

/** A colleague's shared suite: it names a cloud model, which the analyst never chose. */
const SUITE = `description: shared suite
prompts: ['{{q}}']
providers: [openai:gpt-4o-mini]
tests:
  - vars: { q: Say hello }
    assert: [{ type: icontains, value: hello }]
`;

function capture() {
  const out = { stdout: '', stderr: '' };
  return { io: { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) }, out };
}

describe('remote models named only by a suite file are never run by default', () => {
  let saved: Record<string, string | undefined>;
  let server: FakeProviderServer;
  beforeEach(async () => {
    saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
    server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai, replyFor: () => ({ chunks: ['hello'], usage: { input: 3, output: 1 } }) });
    Object.assign(process.env, { OPENAI_API_KEY: FAKE_KEYS.openai, OPENAI_BASE_URL: server.baseUrl });
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

  it('parity eval refuses with exit 2 and sends nothing; --allow-remote or --models runs them', async () => {
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, SUITE);
    const refused = capture();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite], refused.io)).toBe(2);
    expect(refused.out.stderr).toMatch(/names remote models \(openai:gpt-4o-mini\)/);
    expect(refused.out.stderr).toContain('--models <refs>');
    expect(refused.out.stderr).toContain('--allow-remote');
    expect(server.requests).toHaveLength(0);

    const allowed = capture();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--allow-remote'], allowed.io)).toBe(0);
    expect(allowed.out.stdout).toMatch(/openai:gpt-4o-mini\s+100\.0%/);
    expect(server.generationRequests).toHaveLength(1);

    const chosen = capture();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--models', 'openai:gpt-4o-mini'], chosen.io)).toBe(0);
    expect(server.generationRequests).toHaveLength(2);
  });

  it('evals.runs.start needs the models listed when the suite names a remote one', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const suite = app.evals.createSuite(SuiteSpecSchema.parse({ name: 'shared', providers: [{ id: 'openai:gpt-4o-mini' }], cases: [{ id: 'c1', vars: { prompt: 'Say hello' } }] }));
    const implicit = await app.router.handle('evals.runs.start', { suiteId: suite.id }, { transport: 'test' });
    expect(implicit).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'models', remote: ['openai:gpt-4o-mini'] } } });
    expect(app.evals.listRuns()).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
    const explicit = await app.router.handle('evals.runs.create', { suiteId: suite.id, models: ['openai:gpt-4o-mini'] }, { transport: 'test' });
    expect(explicit).toMatchObject({ ok: true, data: { models: ['openai:gpt-4o-mini'] } });
  });
});
