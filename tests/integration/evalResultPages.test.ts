import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { EvalCell } from '../../src/shared/contract';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL, storiesSuiteYaml, tempDir, TINY_RANDOM_MODEL } from '../helpers/tmp';

describe('evals.runs.cases / cells / scorecards', () => {
  it('the paged cells, the cases and the scorecards route give back exactly what evals.runs.results gives', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = routeCaller(app);
    const content = storiesSuiteYaml();
    const suite = await call('evals.suites.import', { format: 'yaml', content });
    const finished = new Promise<void>((resolve) => app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    // Two models: paired tests are not empty; 2 cases x 2 models x 2 repeats = 8 cells, 3 pages of 3.
    const run = await call('evals.runs.start', {
      suiteId: suite.id,
      models: [`local:${STORIES_MODEL}`, `local:${TINY_RANDOM_MODEL}`],
      repeat: 2,
      params: { maxTokens: 12, threads: 1, temperature: 0, seed: 1 },
    });
    await finished;

    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.cells).toHaveLength(8);
    expect(results.pairedTests).toHaveLength(1);

    const paged: EvalCell[] = [];
    const totals: number[] = [];
    for (let offset = 0; ; ) {
      const page = await call('evals.runs.cells', { runId: run.id, offset, limit: 3 });
      expect(page).toMatchObject({ runId: run.id, offset });
      totals.push(page.total);
      if (page.cells.length === 0) break;
      expect(page.cells.length).toBeLessThanOrEqual(3);
      paged.push(...page.cells);
      offset += page.cells.length;
    }
    expect(totals).toEqual([8, 8, 8, 8]);
    expect(paged).toEqual(results.cells);

    expect(await call('evals.runs.scorecards', { runId: run.id })).toEqual({
      runId: run.id,
      scorecards: results.scorecards,
      pairedTests: results.pairedTests,
      derivedMetrics: results.derivedMetrics,
      skippedAssertions: results.skippedAssertions,
    });
    // Scorecards stay over cases: 2 cases per model, each averaged over its 2 repeats.
    expect(results.scorecards.map((s) => [s.unit, s.cases, s.cells])).toEqual([
      ['case', 2, 4],
      ['case', 2, 4],
    ]);
    expect(await call('evals.runs.cases', { runId: run.id })).toEqual(results.cases);

    // Bad input is refused by the router with a usable error, not an empty page.
    const tooMany = await app.router.handle('evals.runs.cells', { runId: run.id, limit: 5000 }, { transport: 'test' });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const missing = await app.router.handle('evals.runs.scorecards', { runId: 'no-such-run' }, { transport: 'test' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const missingCells = await app.router.handle('evals.runs.cells', { runId: 'no-such-run' }, { transport: 'test' });
    expect(missingCells).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
