import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/main/cli/commands/eval';
import { COMPARE_PENDING } from '../../src/main/core/evals/assertions/compareAssertions';
import { compareCells } from '../../src/main/core/evals/results';
import type { RunReportJson } from '../../src/main/core/evals/runReport';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { RunRepository } from '../../src/main/core/store/RunRepository';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { abortAfterCells, ECHO_COMPARE_MODELS, echoCompareEvals, echoCompareSuite } from '../helpers/echoCompare';
import { CannedProvider } from '../helpers/evalFakes';
import { tempDir } from '../helpers/tmp';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

// One case, four outputs, each passing its `contains`: only the select-best comparison can fail them.
const SUITE = SuiteSpecSchema.parse(echoCompareSuite([{ type: 'contains', value: 'say' }, { type: 'select-best', value: 'the clearest' }]));

/** A run stopped once its four cells are stored, while the slow judge of the select-best post-pass is still answering. */
async function stoppedRun(dbPath: string) {
  const judge = new CannedProvider({ answer: () => '1', delayMs: 300 });
  const { store, evals, bus } = echoCompareEvals(dbPath, judge, sandbox);
  const s = evals.createSuite(SUITE);
  const run = await evals.createRun({ suiteId: s.id, graderModel: 'local:judge' });
  const stopped = await evals.execute(run.id, { signal: abortAfterCells(bus, 4) });
  return { store, evals, run: stopped, judge };
}

describe('a run stopped before its select-best / max-score post-pass', () => {
  it('shows the cells as not graded ("–") everywhere, never as passes', async () => {
    using dir = tempDir();
    const { store, evals, run, judge } = await stoppedRun(join(dir.path, 'p.db'));
    expect(judge.calls).toHaveLength(1);
    // Every other assertion passed; the comparison never ran.
    const cells = evals.results(run.id).cells;
    expect(cells.map((c) => [c.status, c.assertions[0]!.pass, c.assertions[1]!.skipped])).toEqual(Array(4).fill(['done', true, COMPARE_PENDING]));
    expect(run).toMatchObject({ status: 'cancelled', doneCells: 4, passedCells: 0 });
    expect(cells.filter((c) => c.pass)).toEqual([]);

    const results = evals.scorecards(run.id);
    for (const card of results.scorecards) expect(card).toMatchObject({ cells: 2, passes: 0, errors: 0, ungraded: 2, cases: 0, passRate: null, passRateCI95: [0, 1], costPerSuccessUsd: null });
    expect(results.pairedTests).toEqual([expect.objectContaining({ pairs: 0, onlyA: 0, onlyB: 0 })]);

    const report = JSON.parse(evals.exportRun(run.id, 'json').content) as RunReportJson;
    expect(report.cells.map((c) => c.pass)).toEqual([null, null, null, null]);
    expect(report.models.map((m) => [m.id, m.passes, m.ungraded, m.passRate])).toEqual(ECHO_COMPARE_MODELS.map((id) => [id, 0, 2, null]));
    const csv = Papa.parse<Record<string, string>>(evals.exportRun(run.id, 'csv').content, { header: true }).data;
    expect(csv.map((r) => r.pass)).toEqual(['–', '–', '–', '–']);
    const html = evals.exportRun(run.id, 'html').content;
    expect(html.match(/<b>– not graded<\/b>/g)).toHaveLength(4);
    expect(html).not.toContain('<b>PASS</b>');
    expect(html).toContain('0/2 cells · 0 cases · 2 not graded');

    const table = summaryTable(report.models);
    for (const id of ECHO_COMPARE_MODELS) expect(table).toMatch(new RegExp(`${id.replace(/[#]/g, '\\#')}\\s+-\\s+nothing measured\\s+0/2 cells, 0 cases, 2 not graded`));

    // Against a baseline where these cells failed, an ungraded cell is neither an improvement nor a regression.
    const baseline = report.cells.map((c) => ({ caseId: c.caseId, modelId: c.modelId, repeat: c.repeat, pass: false }));
    const cmp = compareCells(run.id, 'base', report.cells, baseline);
    expect(cmp).toMatchObject({ improvements: [], regressions: [], comparedCases: 0 });
    expect(compareCells(run.id, 'base', cells, baseline)).toMatchObject({ improvements: [], regressions: [] });

    await evals.dispose();
    store.dispose();
  });

  it('a cell an older version stored as passed while its comparison was pending reads as not graded', async () => {
    using dir = tempDir();
    const { store, evals, run } = await stoppedRun(join(dir.path, 'p.db'));
    const runs = new RunRepository(store);
    // What the runner wrote before: the pending cell's verdict from its other assertions alone.
    for (const cell of runs.cells(run.id)) runs.replaceCells([{ ...cell, pass: true }]);
    expect(runs.get(run.id).passedCells).toBe(0);
    expect(evals.results(run.id).cells.filter((c) => c.pass)).toEqual([]);
    expect(evals.scorecards(run.id).scorecards.map((s) => [s.passes, s.ungraded, s.passRate])).toEqual([
      [0, 2, null],
      [0, 2, null],
    ]);
    await evals.dispose();
    store.dispose();
  });
});
