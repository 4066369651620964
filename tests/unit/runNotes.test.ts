import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { derivedMetricsOf } from '../../src/main/core/evals/derivedMetrics';
import { toReportHtml } from '../../src/main/core/evals/htmlReport';
import { allPairedTests, scorecard, skippedAssertions } from '../../src/main/core/evals/results';
import { toReportJson } from '../../src/main/core/evals/runReport';
import { RunNotes } from '../../src/renderer/evals/RunNotes';
import type { AssertionResult, EvalCell, RunCard, RunResults } from '../../src/shared/domain/evals';
import { emptyMetrics } from '../../src/shared/domain/generation';

const RUBRIC_SKIP = 'needs a grader model (no grader model set)';

function cell(modelId: string, caseId: string, assertions: AssertionResult[]): EvalCell {
  return {
    runId: 'r',
    caseId,
    modelId,
    repeat: 0,
    status: 'done',
    request: { messages: [], params: {} },
    output: 'x',
    pass: true,
    score: 1,
    assertions,
    metrics: emptyMetrics('local', modelId),
    error: null,
    finishedAt: '2026-11-26T00:00:00Z',
  };
}

const named = (metric: string, score: number): AssertionResult => ({ type: 'contains', metric, pass: score > 0, score, weight: 1, reason: '' });
const rubric: AssertionResult = { type: 'llm-rubric', metric: null, pass: false, score: 0, weight: 1, reason: RUBRIC_SKIP, skipped: RUBRIC_SKIP };

/** Two models × two cases: precision/recall named scores, and a rubric skipped in every cell. */
function fixture(): { results: RunResults; card: RunCard } {
  const models = ['local:a', 'local:b'];
  const cells = [
    cell('local:a', 'c1', [named('p', 1), named('r', 1), rubric]),
    cell('local:a', 'c2', [named('p', 1), named('r', 0), rubric]),
    cell('local:b', 'c1', [named('p', 0), named('r', 0), rubric]),
    cell('local:b', 'c2', [named('p', 0), named('r', 0), rubric]),
  ];
  const spec = { derivedMetrics: [{ name: 'f1', value: '2 * p * r / (p + r)' }] };
  const card = {
    appVersion: 'test',
    suiteId: 's',
    suiteVersion: 1,
    suiteName: 'notes',
    createdAt: '2026-11-26T00:00:00Z',
    repeat: 1,
    params: {},
    models: models.map((id) => ({ id, label: null, provider: 'local', sha256: null, providerModelId: null, quantization: null, backend: null, threads: 1, gpuLayers: null, params: {}, seeds: [] })),
    prompts: [{ template: '{{q}}' }],
    platform: 'linux',
    arch: 'x64',
  } as RunCard;
  const run = { id: 'r', suiteId: 's', suiteVersion: 1, suiteName: 'notes', status: 'completed' as const, models, repeat: 1, totalCells: 4, doneCells: 4, passedCells: 4, createdAt: card.createdAt, finishedAt: card.createdAt, error: null };
  const cases = ['c1', 'c2'].map((caseId) => ({ caseId, description: null, promptLabel: null, vars: {}, definition: caseId }));
  return {
    results: {
      run,
      models,
      cases,
      cells,
      scorecards: models.map((m) => scorecard(m, cells)),
      pairedTests: allPairedTests(models, cells),
      derivedMetrics: derivedMetricsOf(spec, models, cells),
      skippedAssertions: skippedAssertions(cells),
    },
    card,
  };
}

describe('derived metrics and skipped assertions in the reports and the app', () => {
  it('are computed once per model and once per kind', () => {
    const { results } = fixture();
    // a: p = 2, r = 1 → f1 = 4/3; b: 0/0 is not a number, said with the reason.
    expect(results.derivedMetrics).toEqual([
      { modelId: 'local:a', name: 'f1', value: 4 / 3, error: null },
      { modelId: 'local:b', name: 'f1', value: null, error: expect.stringMatching(/finite|zero/) },
    ]);
    expect(results.skippedAssertions).toEqual([{ type: 'llm-rubric', reason: RUBRIC_SKIP, cells: 4 }]);
  });

  it('the JSON and HTML reports carry them', () => {
    const { results, card } = fixture();
    const json = toReportJson(results, card);
    expect(json.derivedMetrics[0]).toMatchObject({ modelId: 'local:a', name: 'f1' });
    expect(json.skippedAssertions).toEqual([{ type: 'llm-rubric', reason: RUBRIC_SKIP, cells: 4 }]);
    const html = toReportHtml(results, card);
    expect(html).toContain('<h2>Derived metrics</h2>');
    expect(html).toMatch(/<tr><td>local:a<\/td><td>1\.3333<\/td><\/tr>/);
    expect(html).toContain('<h2>Skipped assertions</h2>');
    expect(html).toContain('<code>llm-rubric</code> in 4 cells: needs a grader model (no grader model set)');
  });

  it('the run panel shows them once, and nothing when there are none', () => {
    const { results } = fixture();
    const html = renderToStaticMarkup(createElement(RunNotes, { models: results.models, derivedMetrics: results.derivedMetrics!, skippedAssertions: results.skippedAssertions! }));
    expect(html).toContain('aria-label="Derived metrics"');
    expect(html).toContain('1.3333');
    expect(html.match(/needs a grader model/g)).toHaveLength(1);
    expect(html).toContain('in 4 cells');
    expect(renderToStaticMarkup(createElement(RunNotes, { models: results.models, derivedMetrics: [], skippedAssertions: [] }))).toBe('');
  });
});
