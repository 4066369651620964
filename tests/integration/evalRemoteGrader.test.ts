import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { cliIo, useFakeOpenAi } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** A colleague's suite: the model under test is local, but its rubric is graded by a cloud model. */
const SUITE = `description: shared suite
prompts: ['{{q}}']
providers: [echo]
tests:
  - vars: { q: Say hello }
    assert: [{ type: llm-rubric, value: says hello, provider: openai:gpt-4o-mini }]
`;

/** The same grader given as promptfoo's {text, embedding} in defaultTest. */
const DEFAULT_TEST_SUITE = `description: shared suite
prompts: ['{{q}}']
providers: [echo]
defaultTest:
  options:
    provider: { text: openai:gpt-4o-mini, embedding: openai:text-embedding-3-small }
tests:
  - vars: { q: Say hello }
    assert: [{ type: llm-rubric, value: says hello }]
`;

describe('remote graders named only by a suite file never grade by default', () => {
  const fakeOpenAi = useFakeOpenAi({ replyFor: () => ({ chunks: ['{"pass": true, "score": 1, "reason": "greets"}'], usage: { input: 30, output: 9 } }) });

  it.each([['an assertion provider', SUITE], ["defaultTest's {text, embedding}", DEFAULT_TEST_SUITE]])('parity eval refuses a remote grader named by %s with exit 2 and sends nothing; --allow-remote lets it grade', async (_what, yaml) => {
    const server = fakeOpenAi();
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, yaml);
    const refused = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite], refused)).toBe(2);
    expect(refused.stderr()).toMatch(/names remote graders \(openai:gpt-4o-mini\)/);
    expect(refused.stderr()).toContain('--allow-remote');
    expect(server.requests).toHaveLength(0);

    const allowed = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--allow-remote'], allowed)).toBe(0);
    expect(allowed.stdout()).toMatch(/echo:echo\s+100\.0%/);
    expect(server.generationRequests).toHaveLength(1);
    expect(JSON.stringify(server.generationRequests[0])).toContain('says hello');
  });

  it('evals.runs.start refuses a remote grader the suite names unless the caller allows or chose it', async () => {
    const server = fakeOpenAi();
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const suite = app.evals.createSuite(
      SuiteSpecSchema.parse({ name: 'shared', providers: [{ id: 'echo:echo' }], cases: [{ id: 'c1', vars: { prompt: 'Say hello' }, options: { provider: 'openai:gpt-4o-mini' }, assert: [{ type: 'llm-rubric', value: 'says hello' }] }] }),
    );
    const implicit = await app.router.handle('evals.runs.start', { suiteId: suite.id }, { transport: 'test' });
    expect(implicit).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'graders', remoteGraders: ['openai:gpt-4o-mini'] } } });
    // The dialog shows this message as it is: it names the grader and how to allow it.
    const message = implicit.ok ? '' : implicit.error.message;
    expect(message).toContain('openai:gpt-4o-mini');
    expect(message).toContain("Allow the suite's remote graders");
    expect(message).toContain('--allow-remote');
    // A local model listed explicitly does not choose the suite's grader.
    const listed = await app.router.handle('evals.runs.create', { suiteId: suite.id, models: ['echo:echo'] }, { transport: 'test' });
    expect(listed).toMatchObject({ ok: false, error: { details: { remoteGraders: ['openai:gpt-4o-mini'] } } });
    expect(app.evals.listRuns()).toHaveLength(0);
    expect(server.requests).toHaveLength(0);

    const allowed = await app.router.handle('evals.runs.create', { suiteId: suite.id, allowGraders: ['openai:gpt-4o-mini'] }, { transport: 'test' });
    expect(allowed).toMatchObject({ ok: true });
    const chosen = await app.router.handle('evals.runs.create', { suiteId: suite.id, graderModel: 'openai:gpt-4o-mini' }, { transport: 'test' });
    expect(chosen).toMatchObject({ ok: true });
  });
});
