import Papa from 'papaparse';
import type { EvalCell, RunCard, RunResults, Scorecard } from '../../../shared/domain/evals';

/**
 * The JSON report (also `parity eval --json`): `models[]` with the scorecard numbers under the
 * documented names, `cells[]` with each output and its assertions, plus the run card.
 */
export interface RunReportJson {
  runId: string;
  suite: { id: string; name: string; version: number };
  status: string;
  createdAt: string;
  runCard: RunCard;
  models: Array<Scorecard & { id: string }>;
  pairedTests: RunResults['pairedTests'];
  cells: Array<Pick<EvalCell, 'caseId' | 'modelId' | 'repeat' | 'output' | 'pass' | 'score' | 'assertions' | 'metrics' | 'status' | 'error'>>;
}

export function toReportJson(results: RunResults, runCard: RunCard): RunReportJson {
  return {
    runId: results.run.id,
    suite: { id: results.run.suiteId, name: results.run.suiteName, version: results.run.suiteVersion },
    status: results.run.status,
    createdAt: results.run.createdAt,
    runCard,
    models: results.scorecards.map((s) => ({ id: s.modelId, ...s })),
    pairedTests: results.pairedTests,
    cells: results.cells.map((c) => ({
      caseId: c.caseId,
      modelId: c.modelId,
      repeat: c.repeat,
      output: c.output,
      pass: c.pass,
      score: c.score,
      assertions: c.assertions,
      metrics: c.metrics,
      status: c.status,
      error: c.error,
    })),
  };
}

/** One row per cell; spreadsheet-friendly (assertion reasons joined, metrics flattened). */
export function toReportCsv(results: RunResults): string {
  return Papa.unparse(
    results.cells.map((c) => ({
      caseId: c.caseId,
      modelId: c.modelId,
      repeat: c.repeat,
      pass: c.pass,
      score: Number(c.score.toFixed(4)),
      status: c.status,
      output: c.output,
      assertions: c.assertions.map((a) => `${a.pass ? 'PASS' : 'FAIL'} ${a.type}: ${a.reason}`).join(' | '),
      ttftMs: c.metrics.ttftMs,
      totalMs: c.metrics.totalMs,
      promptTokens: c.metrics.promptTokens,
      completionTokens: c.metrics.completionTokens,
      decodeTokensPerSecond: c.metrics.decodeTokensPerSecond,
      costUsd: c.metrics.costUsd,
      error: c.error?.message ?? '',
    })),
  );
}
