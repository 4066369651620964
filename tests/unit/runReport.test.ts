import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/main/cli/commands/eval';
import { toReportHtml } from '../../src/main/core/evals/htmlReport';
import { allPairedTests, scorecard } from '../../src/main/core/evals/results';
import { NOT_MEASURED, toReportCsv, toReportJson } from '../../src/main/core/evals/runReport';
import type { EvalCell, RunCard, RunResults } from '../../src/shared/domain/evals';
import { emptyMetrics } from '../../src/shared/domain/generation';

/** A suite with no JSON and no refusal assertions: 2 cases × 2 repeats on one local model, seeds 42 and 43. */
function results(): { results: RunResults; card: RunCard } {
  const cells: EvalCell[] = [];
  for (const caseId of ['a', 'b']) {
    for (let repeat = 0; repeat < 2; repeat++) {
      cells.push({
        runId: 'run-1',
        caseId,
        modelId: 'local:m',
        repeat,
        status: 'done',
        request: { messages: [{ role: 'user', content: caseId }], params: { temperature: 0.8, seed: 42 + repeat } },
        // Would read as "valid JSON" and "a refusal" if either were measured.
        output: caseId === 'a' ? '{"ok":true}' : "I'm sorry, I can't help with that",
        pass: caseId === 'a',
        score: caseId === 'a' ? 1 : 0,
        assertions: [{ type: 'contains', metric: null, pass: caseId === 'a', score: caseId === 'a' ? 1 : 0, weight: 1, reason: '' }],
        metrics: { ...emptyMetrics('local', 'm'), totalMs: 10 },
        error: null,
        finishedAt: '2026-01-01T00:00:00Z',
      });
    }
  }
  const card: RunCard = {
    appVersion: 'test',
    suiteId: 's',
    suiteVersion: 1,
    suiteName: 'no json',
    createdAt: '2026-01-01T00:00:00Z',
    repeat: 2,
    params: { temperature: 0.8, seed: 42 },
    models: [
      { id: 'local:m', label: null, provider: 'local', sha256: null, providerModelId: null, quantization: null, backend: null, threads: 1, gpuLayers: null, params: { seed: 42 }, seeds: [42, 43] },
    ],
    prompts: [{ template: '{{q}}' }],
    platform: 'linux',
    arch: 'x64',
  };
  const run = { id: 'run-1', suiteId: 's', suiteVersion: 1, suiteName: 'no json', status: 'completed' as const, models: ['local:m'], repeat: 2, totalCells: 4, doneCells: 4, passedCells: 2, createdAt: card.createdAt, finishedAt: card.createdAt, error: null };
  const cases = ['a', 'b'].map((caseId) => ({ caseId, description: null, promptLabel: null, vars: {}, definition: `def-${caseId}` }));
  return { results: { run, models: ['local:m'], cases, cells, scorecards: [scorecard('local:m', cells)], pairedTests: allPairedTests(['local:m'], cells) }, card };
}

describe('reports: what was not measured is "–" or null, never 0', () => {
  it('JSON report: null rates, the unit and the case count', () => {
    const { results: r, card } = results();
    const json = toReportJson(r, card);
    expect(json.models[0]).toMatchObject({ unit: 'case', cases: 2, cells: 4, jsonValidityRate: null, refusalRate: null });
    expect(json.cases.map((c) => c.definition)).toEqual(['def-a', 'def-b']);
  });

  it('CSV: the JSON-valid and refusal columns say "–" per cell, and each repeat shows its seed', () => {
    const { results: r } = results();
    const rows = Papa.parse<Record<string, string>>(toReportCsv(r), { header: true }).data;
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.jsonValid).toBe(NOT_MEASURED);
      expect(row.refused).toBe(NOT_MEASURED);
      // Not measured for a local generation without time-to-first-token.
      expect(row.ttftMs).toBe(NOT_MEASURED);
    }
    expect(rows.map((row) => row.seed)).toEqual(['42', '43', '42', '43']);
  });

  it('HTML: "–" in the JSON-valid and Refusals columns, the unit stated, and the seed of every repeat', () => {
    const { results: r, card } = results();
    const html = toReportHtml(r, card);
    const row = /<tr><td>local:m<\/td>[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<td>–</td><td>–</td></tr>');
    expect(row).not.toContain('0.0%</td></tr>');
    expect(row).toContain('4 cells · 2 cases');
    expect(html).toContain('Unit: case');
    expect(html).toContain('42, 43');
  });

  it('a model whose every cell errored: null pass rate in JSON, "–" in HTML and the CLI table, not 0%', () => {
    const { results: r, card } = results();
    const failed = r.cells.map((c) => ({ ...c, modelId: 'openai:x', status: 'error' as const, pass: false, output: '', error: { code: 'PROVIDER_AUTH', message: 'bad key' } }));
    const cells = [...r.cells, ...failed];
    const both = { ...r, models: ['local:m', 'openai:x'], cells, scorecards: [scorecard('local:m', cells), scorecard('openai:x', cells)] };
    const json = toReportJson(both, card);
    expect(json.models[1]).toMatchObject({ id: 'openai:x', passRate: null, errors: 4 });
    const row = /<tr><td>openai:x<\/td>[\s\S]*?<\/tr>/.exec(toReportHtml(both, card))![0];
    expect(row).toContain('<td>– <small>nothing measured</small></td>');
    expect(row).not.toContain('0.0%');
    const table = summaryTable(json.models).split('\n').find((l) => l.startsWith('openai:x'))!;
    expect(table).toMatch(/^openai:x\s+-\s+nothing measured\s+0\/4 cells/);
    expect(table).not.toContain('0.0%');
  });
});
