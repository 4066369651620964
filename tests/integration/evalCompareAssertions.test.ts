import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPARE_PENDING } from '../../src/main/core/evals/assertions/compareAssertions';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { SuiteSpecSchema, type EvalCell } from '../../src/shared/domain/evals';
import { abortAfterCells, echoCompareEvals, echoCompareSuite } from '../helpers/echoCompare';
import { CannedProvider } from '../helpers/evalFakes';
import { tempDir } from '../helpers/tmp';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

const compared = (cells: EvalCell[], type: string) =>
  Object.fromEntries(cells.map((c) => [`${c.caseId} ${c.modelId}`, c.assertions.find((a) => a.type === type)!]));

describe('select-best and max-score compare the outputs of one case', () => {
  it('max-score picks the first highest aggregate; select-best asks the grader once per case and repeat', async () => {
    using dir = tempDir();
    // The judge picks output 2: prompt "loud" on the first label (prompt-major order).
    const judge = new CannedProvider({ answer: () => 'Output 2 is clearest.' });
    const { store, evals } = echoCompareEvals(join(dir.path, 'p.db'), judge, sandbox);
    const s = evals.createSuite(
      SuiteSpecSchema.parse(
        echoCompareSuite(
          [
            { type: 'contains', value: 'loudly' },
            { type: 'contains', value: 'say' },
            { type: 'max-score', value: { method: 'sum', weights: { contains: 2 } } },
            { type: 'select-best', value: 'the clearest request' },
          ],
          2,
        ),
      ),
    );
    const run = await evals.createRun({ suiteId: s.id, graderModel: 'local:judge', repeat: 2 });
    const done = await evals.execute(run.id);
    // Only "loud" on "first" is chosen by both: one pass per case and repeat.
    expect(done).toMatchObject({ status: 'completed', totalCells: 16, passedCells: 4 });
    expect(judge.calls).toHaveLength(4);
    expect(judge.calls[0]!.prompt).toContain('Criteria:\nthe clearest request');
    expect(judge.calls[0]!.prompt).toContain('<output index="3">\nsay word0 loudly\n</output>');
    const cells = evals.results(run.id).cells.filter((c) => c.repeat === 0);
    const max = compared(cells, 'max-score');
    // Sum with weight 2: "loud" outputs 4, "plain" 2; ties go to the first (label "first").
    expect(max['c0#2 echo:echo#first']).toMatchObject({ pass: true, score: 1, reason: 'Selected as highest scoring output (score: 4.000)' });
    expect(max['c0#2 echo:echo#second']).toMatchObject({ pass: false, score: 0, reason: 'Not selected (score: 4.000, max: 4.000)' });
    expect(max['c0#1 echo:echo#first']!.skipped).toBeUndefined();
    const best = compared(cells, 'select-best');
    expect(Object.values(best).map((a) => a.pass)).toEqual([false, false, true, false, false, false, true, false]);
    expect(best['c0#2 echo:echo#first']).toMatchObject({ pass: true, reason: 'Output selected as the best: the clearest request' });
    expect(best['c0#2 echo:echo#second']).toMatchObject({ pass: false, reason: 'Output not selected: the clearest request' });
    // Losing a comparison fails the cell, as in promptfoo, even when its other assertions pass.
    expect(cells.find((c) => c.caseId === 'c0#2' && c.modelId === 'echo:echo#second')).toMatchObject({ pass: false });
    expect(cells.find((c) => c.caseId === 'c0#2' && c.modelId === 'echo:echo#first')).toMatchObject({ pass: true });
    await evals.dispose();
    store.dispose();
  });

  it('max-score honours its threshold, and without a grader select-best is skipped, not failed', async () => {
    using dir = tempDir();
    const judge = new CannedProvider({ answer: () => '0' });
    const { store, evals } = echoCompareEvals(join(dir.path, 'p.db'), judge, sandbox);
    const s = evals.createSuite(
      SuiteSpecSchema.parse(
        echoCompareSuite([
          { type: 'contains', value: 'loudly' },
          { type: 'max-score', value: { threshold: 2 } },
          { type: 'select-best', value: 'best' },
        ]),
      ),
    );
    const run = await evals.createRun({ suiteId: s.id });
    await evals.execute(run.id);
    const cells = evals.results(run.id).cells;
    expect(judge.calls).toHaveLength(0);
    for (const c of cells) {
      expect(c.assertions[2]!.skipped).toMatch(/^needs a grader model/);
      expect(c.assertions[1]).toMatchObject({ pass: false, score: 0 });
    }
    expect(compared(cells, 'max-score')['c0#2 echo:echo#first']!.reason).toBe('Not selected - score 1.000 below threshold 2');
    // Said once for the run (the app's scorecards and the reports), not once per cell.
    expect(evals.scorecards(run.id).skippedAssertions).toEqual([{ type: 'select-best', reason: expect.stringMatching(/^needs a grader model/), cells: 4 }]);
    await evals.dispose();
    store.dispose();
  });

  it('one model and one prompt leave nothing to compare: skipped with the reason', async () => {
    using dir = tempDir();
    const { store, evals } = echoCompareEvals(join(dir.path, 'p.db'), new CannedProvider(), sandbox);
    const spec = { ...echoCompareSuite([{ type: 'contains', value: 'say' }, { type: 'max-score' }]), prompts: [{ template: 'say {{w}}' }] };
    const s = evals.createSuite(SuiteSpecSchema.parse(spec));
    const run = await evals.createRun({ suiteId: s.id, models: ['echo:echo'] });
    const done = await evals.execute(run.id);
    expect(done.passedCells).toBe(1);
    expect(evals.results(run.id).cells[0]!.assertions[1]!.skipped).toMatch(/needs at least two outputs of this case/);
    await evals.dispose();
    store.dispose();
  });

  it('a run stopped after the last cell of a case, before its comparison, compares it on resume', async () => {
    using dir = tempDir();
    // A slow judge: the stop lands while it is still answering.
    const judge = new CannedProvider({ answer: () => '1', delayMs: 200 });
    const { store, evals, bus } = echoCompareEvals(join(dir.path, 'p.db'), judge, sandbox);
    const s = evals.createSuite(SuiteSpecSchema.parse(echoCompareSuite([{ type: 'select-best', value: 'best' }])));
    const run = await evals.createRun({ suiteId: s.id, graderModel: 'local:judge' });
    const stopped = await evals.execute(run.id, { signal: abortAfterCells(bus, 4) });
    // Until compared, select-best is pending: the cells are not graded, so none counts as passed.
    expect(stopped).toMatchObject({ status: 'cancelled', doneCells: 4, passedCells: 0 });
    expect(evals.results(run.id).cells.map((c) => c.assertions[0]!.skipped)).toEqual(Array(4).fill(COMPARE_PENDING));
    const resumed = await evals.execute(run.id);
    expect(resumed).toMatchObject({ status: 'completed', doneCells: 4, passedCells: 1 });
    expect(judge.calls).toHaveLength(2);
    const chosen = evals.results(run.id).cells.filter((c) => c.pass).map((c) => `${c.caseId} ${c.modelId}`);
    expect(chosen).toEqual(['c0#1 echo:echo#second']);
    // Resuming a finished run compares nothing again.
    await evals.execute(run.id);
    expect(judge.calls).toHaveLength(2);
    await evals.dispose();
    store.dispose();
  });
});
