import Papa from 'papaparse';
import type { EvalCell, RunCard, RunResults, Scorecard } from '../../../shared/domain/evals';
import { awaitsComparison } from '../../../shared/domain/cellGrading';
import { cellChecks } from './results';

/** What the CSV writes for a value that was not measured: a dash, never a 0 that reads as a result. */
export const NOT_MEASURED = '–';

/**
 * The JSON report (also `parity eval --json`): `models[]` with the scorecard numbers under the
 * documented names (`unit: "case"`: intervals and paired tests count cases, repeats averaged;
 * null = not measured), `cases[]` with each case's definition fingerprint (so a later run used
 * as baseline compares only unchanged cases), `derivedMetrics[]` and `skippedAssertions[]` (once
 * per kind), `cells[]` with each output and its assertions, plus the run card.
 */
export interface RunReportJson {
  runId: string;
  suite: { id: string; name: string; version: number };
  status: string;
  createdAt: string;
  runCard: RunCard;
  models: Array<Scorecard & { id: string }>;
  pairedTests: RunResults['pairedTests'];
  cases: RunResults['cases'];
  /** promptfoo's derivedMetrics per model (empty without any). */
  derivedMetrics: NonNullable<RunResults['derivedMetrics']>;
  /** Assertions not evaluated in this run, once per type and reason, with the number of cells. */
  skippedAssertions: NonNullable<RunResults['skippedAssertions']>;
  /** `pass` is null for a cell not graded: its select-best / max-score comparison never ran (the run stopped first). */
  cells: Array<Pick<EvalCell, 'caseId' | 'modelId' | 'repeat' | 'output' | 'score' | 'assertions' | 'metrics' | 'status' | 'error'> & { pass: boolean | null }>;
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
    cases: results.cases,
    derivedMetrics: results.derivedMetrics ?? [],
    skippedAssertions: results.skippedAssertions ?? [],
    cells: results.cells.map((c) => ({
      caseId: c.caseId,
      modelId: c.modelId,
      repeat: c.repeat,
      output: c.output,
      pass: awaitsComparison(c) ? null : c.pass,
      score: c.score,
      assertions: c.assertions,
      metrics: c.metrics,
      status: c.status,
      error: c.error,
    })),
  };
}

const measured = (v: number | boolean | null): number | boolean | string => (v === null ? NOT_MEASURED : v);

/**
 * One row per cell; spreadsheet-friendly (assertion reasons joined, metrics flattened). The
 * seed column tells repeats apart; "–" marks what was not measured.
 */
export function toReportCsv(results: RunResults): string {
  return Papa.unparse(
    results.cells.map((c) => ({
      caseId: c.caseId,
      modelId: c.modelId,
      repeat: c.repeat,
      pass: awaitsComparison(c) ? NOT_MEASURED : c.pass,
      seed: measured(c.request.params.seed ?? null),
      score: Number(c.score.toFixed(4)),
      status: c.status,
      output: c.output,
      assertions: c.assertions.map((a) => (a.skipped !== undefined ? `SKIPPED ${a.type}: ${a.skipped}` : `${a.pass ? 'PASS' : 'FAIL'} ${a.type}: ${a.reason}`)).join(' | '),
      jsonValid: measured(cellChecks(c).jsonValid),
      refused: measured(cellChecks(c).refused),
      ttftMs: measured(c.metrics.ttftMs),
      totalMs: measured(c.metrics.totalMs),
      promptTokens: measured(c.metrics.promptTokens),
      completionTokens: measured(c.metrics.completionTokens),
      decodeTokensPerSecond: measured(c.metrics.decodeTokensPerSecond),
      costUsd: measured(c.metrics.costUsd),
      error: c.error?.message ?? '',
    })),
  );
}
