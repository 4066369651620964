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

function capture() {
  const out = { stdout: '', stderr: '' };
  return { io: { out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) }, out };
}

describe('remote graders named only by a suite file never grade by default', () => {
  let saved: Record<string, string | undefined>;
  let server: FakeProviderServer;
  beforeEach(async () => {
    saved = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
    server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai, replyFor: () => ({ chunks: ['{"pass": true, "score": 1, "reason": "greets"}'], usage: { input: 30, output: 9 } }) });
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

  it.each([['an assertion provider', SUITE], ["defaultTest's {text, embedding}", DEFAULT_TEST_SUITE]])('parity eval refuses a remote grader named by %s with exit 2 and sends nothing; --allow-remote lets it grade', async (_what, yaml) => {
    using dir = tempDir();
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, yaml);
    const refused = capture();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite], refused.io)).toBe(2);
    expect(refused.out.stderr).toMatch(/names remote graders \(openai:gpt-4o-mini\)/);
    expect(refused.out.stderr).toContain('--allow-remote');
    expect(server.requests).toHaveLength(0);

    const allowed = capture();
    expect(await runCli(['--data-dir', dir.path, 'eval', suite, '--allow-remote'], allowed.io)).toBe(0);
    expect(allowed.out.stdout).toMatch(/echo:echo\s+100\.0%/);
    expect(server.generationRequests).toHaveLength(1);
    expect(JSON.stringify(server.generationRequests[0])).toContain('says hello');
  });

  it('evals.runs.start refuses a remote grader the suite names unless the caller allows or chose it', async () => {
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
