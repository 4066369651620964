import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { cliIo, useFakeOpenAi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** A colleague's shared suite: it names a cloud model, which the analyst never chose. */
const SUITE = `description: shared suite
prompts: ['{{q}}']
providers: [openai:gpt-4o-mini]
tests:
  - vars: { q: Say hello }
    assert: [{ type: icontains, value: hello }]
`;

describe('remote models named only by a suite file are never run by default', () => {
  const fakeOpenAi = useFakeOpenAi({ replyFor: () => ({ chunks: ['hello'], usage: { input: 3, output: 1 } }) });

  it('parity eval refuses with exit 2 and sends nothing; --allow-remote or --models runs them', async () => {
    const server = fakeOpenAi();
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, SUITE);
    const refused = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite], refused)).toBe(2);
    expect(refused.stderr()).toMatch(/names remote models \(openai:gpt-4o-mini\)/);
    expect(refused.stderr()).toContain('--models <refs>');
    expect(refused.stderr()).toContain('--allow-remote');
    expect(server.requests).toHaveLength(0);

    const allowed = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--allow-remote'], allowed)).toBe(0);
    expect(allowed.stdout()).toMatch(/openai:gpt-4o-mini\s+100\.0%/);
    expect(server.generationRequests).toHaveLength(1);

    const chosen = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--models', 'openai:gpt-4o-mini'], chosen)).toBe(0);
    expect(server.generationRequests).toHaveLength(2);
  });

  it('evals.runs.start needs the models listed when the suite names a remote one', async () => {
    const server = fakeOpenAi();
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
