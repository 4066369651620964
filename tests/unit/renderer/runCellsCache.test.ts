import { describe, expect, it } from 'vitest';
import { applyCellsDone, runCellsFrom } from '../../../src/renderer/evals/runCellsCache';
import type { EvalCell } from '../../../src/shared/contract';
import { emptyMetrics } from '../../../src/shared/domain/generation';

function cell(caseId: string, modelId: string, repeat: number, over: Partial<EvalCell> = {}): EvalCell {
  return {
    runId: 'run-1',
    caseId,
    modelId,
    repeat,
    status: 'done',
    request: { messages: [{ role: 'user', content: caseId }], params: {} },
    output: `${caseId} by ${modelId}`,
    pass: true,
    score: 1,
    assertions: [],
    metrics: emptyMetrics('local', modelId),
    error: null,
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

describe('applyCellsDone', () => {
  it('appends cells that finished after the pages were fetched, keeping what was there', () => {
    const cache = runCellsFrom('run-1', [cell('a', 'm1', 0), cell('a', 'm2', 0)]);
    const next = applyCellsDone(cache, [cell('b', 'm1', 0), cell('b', 'm2', 0)]);
    expect(next.cells.map((c) => `${c.caseId}/${c.modelId}`)).toEqual(['a/m1', 'a/m2', 'b/m1', 'b/m2']);
    // The old cache is untouched: react-query and memo compare by identity.
    expect(cache.cells).toHaveLength(2);
    expect(next).not.toBe(cache);
  });

  it('a cell carried by both a page and an event is counted once, the newer copy replacing it in place', () => {
    const cache = runCellsFrom('run-1', [cell('a', 'm1', 0, { pass: false, output: 'old' }), cell('a', 'm1', 1)]);
    const next = applyCellsDone(cache, [cell('a', 'm1', 0, { pass: true, output: 'redone' }), cell('a', 'm1', 0, { output: 'again' })]);
    expect(next.cells).toHaveLength(2);
    expect(next.cells[0]).toMatchObject({ repeat: 0, pass: true, output: 'again' });
    expect(next.index.get('a\u0000m1\u00000')).toBe(0);
  });

  it('repeats of one case and the same case on two models are different cells', () => {
    const next = applyCellsDone(runCellsFrom('run-1', []), [cell('a', 'm1', 0), cell('a', 'm1', 1), cell('a', 'm2', 0)]);
    expect(next.cells).toHaveLength(3);
  });

  it("ignores another run's cells and returns the same cache when nothing applies", () => {
    const cache = runCellsFrom('run-1', [cell('a', 'm1', 0)]);
    expect(applyCellsDone(cache, [cell('z', 'm1', 0, { runId: 'run-2' })])).toBe(cache);
    expect(applyCellsDone(cache, [])).toBe(cache);
  });
});
