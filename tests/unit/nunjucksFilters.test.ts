import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPromptfooConfig } from '../../src/main/core/evals/promptfoo/loadPromptfooConfig';
import { moduleCallCode } from '../../src/main/core/evals/promptfoo/moduleCode';
import { planCasesForRun } from '../../src/main/core/evals/SuitePlan';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { SuiteSpecSchema, type SuiteSpecInput } from '../../src/shared/domain/evals';
import { AppError } from '../../src/shared/errors';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

const filter = (source: string) => moduleCallCode(source, null, 'filter');

function spec(template: string, nunjucksFilters: Record<string, string>, vars: Record<string, string> = { name: 'Ada' }): ReturnType<typeof SuiteSpecSchema.parse> {
  const input: SuiteSpecInput = { name: 'filters', prompts: [{ template }], cases: [{ id: 'c', vars, assert: [] }], nunjucksFilters };
  return SuiteSpecSchema.parse(input);
}

describe('custom nunjucksFilters run in the sandbox when a run renders its prompts', () => {
  it("promptfoo's example shape: a filter file under `filters`", async () => {
    const base = join(import.meta.dirname, '..', 'fixtures', 'promptfoo', 'bare-paths');
    const { spec: s } = loadPromptfooConfig(readFileSync(join(base, 'promptfooconfig.yaml'), 'utf8'), { baseDir: base });
    const planned = await planCasesForRun(s, sandbox);
    expect(planned[1]!.prompt).toBe('In French, conversationally: GOOD EVENING');
  });

  it('takes the filter arguments and chains filters on filters', async () => {
    const s = spec('{{ name | shout | wrap("<", ">") }} and {{ name | wrap("[", "]") }}', {
      shout: filter('module.exports = (s) => String(s).toUpperCase();'),
      wrap: filter('module.exports = (s, left, right) => left + s + right;'),
    });
    const [pc] = await planCasesForRun(s, sandbox);
    expect(pc!.prompt).toBe('<ADA> and [Ada]');
  });

  it('a filter that only fails on a provisional input does not fail the render; one that fails on a real value names itself', async () => {
    // `pick` first sees the JSON text (parse not yet known) and throws on it; its real input is the object.
    const ok = spec('{{ person | parse | pick }}', { parse: filter('module.exports = (s) => JSON.parse(s);'), pick: filter('module.exports = (p) => p.name.toUpperCase();') }, { person: '{"name":"Ada"}' });
    expect((await planCasesForRun(ok, sandbox))[0]!.prompt).toBe('ADA');
    const bad = spec('{{ name | boom }}', { boom: filter("module.exports = () => { throw new Error('no way'); };") });
    const error = await planCasesForRun(bad, sandbox).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'SUITE_INVALID', message: 'The custom Nunjucks filter "boom" failed: no way' });
  });

  it('suite code never runs in Node: the filter sees no process or require', async () => {
    const s = spec('{{ name | probe }}', { probe: filter('module.exports = () => [typeof process, typeof require].join(",");') });
    expect((await planCasesForRun(s, sandbox))[0]!.prompt).toBe('undefined,undefined');
  });
});
