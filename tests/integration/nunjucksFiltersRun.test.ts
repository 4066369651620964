import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { moduleCallCode } from '../../src/main/core/evals/promptfoo/moduleCode';
import { EchoProvider } from '../../src/main/core/providers/echo/EchoProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { Store } from '../../src/main/core/store/Store';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { evalServiceFor } from '../helpers/evalService';
import { tempDir } from '../helpers/tmp';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

function setup(path: string) {
  const store = Store.open({ path });
  const providers = new ProviderRegistry();
  providers.register(new EchoProvider());
  const generation = new GenerationService(providers, { policy: { maxRetries: 0 } });
  return { store, evals: evalServiceFor({ store, generation, providers, sandbox }) };
}

const suite = (source: string) =>
  SuiteSpecSchema.parse({
    name: 'filters run',
    prompts: [{ template: 'Hello {{ name | shout }}' }],
    providers: [{ id: 'echo:echo' }],
    cases: [{ id: 'c', vars: { name: 'Ada' }, assert: [{ type: 'contains', value: 'ADA!' }] }],
    nunjucksFilters: { shout: moduleCallCode(source, null, 'filter') },
  });

describe('a run renders its prompts with the suite custom filters', () => {
  it('sends what the filter returned', async () => {
    using dir = tempDir();
    const { store, evals } = setup(join(dir.path, 'p.db'));
    const s = evals.createSuite(suite("module.exports = (s) => s.toUpperCase() + '!';"));
    const done = await evals.execute((await evals.createRun({ suiteId: s.id })).id);
    expect(done).toMatchObject({ status: 'completed', passedCells: 1 });
    const [cell] = evals.results(done.id).cells;
    expect(cell!.request.messages).toEqual([{ role: 'user', content: 'Hello ADA!' }]);
    await evals.dispose();
    store.dispose();
  });

  it('a filter that fails fails the run at the start, naming it, with nothing sent', async () => {
    using dir = tempDir();
    const { store, evals } = setup(join(dir.path, 'p.db'));
    const s = evals.createSuite(suite("module.exports = () => { throw new Error('bad input'); };"));
    const run = await evals.createRun({ suiteId: s.id });
    await expect(evals.execute(run.id)).rejects.toMatchObject({ code: 'SUITE_INVALID' });
    expect(evals.getRun(run.id)).toMatchObject({ status: 'failed', error: 'The custom Nunjucks filter "shout" failed: bad input', doneCells: 0 });
    await evals.dispose();
    store.dispose();
  });
});
