import type { EvalCell, PairedTest, RunComparison, Scorecard } from '../../../shared/domain/evals';
import { parseWholeJson } from './assertions/json';
import { isRefusal } from './assertions/refusal';
import { mcnemarExact, percentile, wilsonInterval } from './stats';

function nums(values: Array<number | null>): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/** One model's scorecard over its cells (errored cells count as failures). */
export function scorecard(modelId: string, cells: readonly EvalCell[]): Scorecard {
  const mine = cells.filter((c) => c.modelId === modelId);
  const passes = mine.filter((c) => c.pass).length;
  const ok = mine.filter((c) => c.status === 'done');
  const ttft = nums(ok.map((c) => c.metrics.ttftMs));
  const latency = nums(ok.map((c) => c.metrics.totalMs));
  // Throughput over all tokens decoded, not a mean of per-cell rates (short answers would dominate).
  const decodeTokens = ok.reduce((s, c) => s + (c.metrics.decodeTokensPerSecond && c.metrics.completionTokens ? c.metrics.completionTokens : 0), 0);
  const decodeSeconds = ok.reduce(
    (s, c) => s + (c.metrics.decodeTokensPerSecond && c.metrics.completionTokens ? c.metrics.completionTokens / c.metrics.decodeTokensPerSecond : 0),
    0,
  );
  const costs = mine.map((c) => c.metrics.costUsd ?? (c.metrics.host === null ? 0 : null));
  const costUsd = costs.some((c) => c === null) || mine.length === 0 ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0);
  const n = mine.length;
  return {
    modelId,
    cells: n,
    passes,
    errors: mine.length - ok.length,
    passRate: n ? passes / n : 0,
    passRateCI95: wilsonInterval(passes, n),
    ttftMsP50: percentile(ttft, 50),
    ttftMsP95: percentile(ttft, 95),
    latencyMsP50: percentile(latency, 50),
    latencyMsP95: percentile(latency, 95),
    decodeTokensPerSecond: decodeSeconds > 0 ? decodeTokens / decodeSeconds : null,
    inputTokens: mine.reduce((s, c) => s + (c.metrics.promptTokens ?? 0), 0),
    outputTokens: mine.reduce((s, c) => s + (c.metrics.completionTokens ?? 0), 0),
    costUsd,
    costPerSuccessUsd: costUsd === null || passes === 0 ? null : costUsd / passes,
    jsonValidityRate: ok.length ? ok.filter((c) => parseWholeJson(c.output).ok).length / ok.length : 0,
    refusalRate: ok.length ? ok.filter((c) => isRefusal(c.output)).length / ok.length : 0,
  };
}

const key = (c: EvalCell): string => `${c.caseId}\u0000${c.repeat}`;

/** Exact McNemar between two models on the cells both have (same case and repeat). */
export function pairedTest(modelA: string, modelB: string, cells: readonly EvalCell[], alpha = 0.05): PairedTest {
  const b = new Map(cells.filter((c) => c.modelId === modelB).map((c) => [key(c), c]));
  let pairs = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const a of cells) {
    if (a.modelId !== modelA) continue;
    const other = b.get(key(a));
    if (!other) continue;
    pairs++;
    if (a.pass && !other.pass) onlyA++;
    if (!a.pass && other.pass) onlyB++;
  }
  const pValue = mcnemarExact(onlyA, onlyB);
  return { modelA, modelB, pairs, onlyA, onlyB, pValue, significant: pValue < alpha };
}

export function allPairedTests(models: readonly string[], cells: readonly EvalCell[]): PairedTest[] {
  const out: PairedTest[] = [];
  for (let i = 0; i < models.length; i++) for (let j = i + 1; j < models.length; j++) out.push(pairedTest(models[i]!, models[j]!, cells));
  return out;
}

export interface ComparableCell {
  caseId: string;
  modelId: string;
  repeat: number;
  pass: boolean;
}

/**
 * Regressions against a baseline: cells that passed there and fail now, and models whose pass
 * rate dropped by more than `tolerance`. Cells are matched by case, model and repeat.
 */
export function compareCells(
  runId: string,
  baselineRunId: string,
  current: readonly ComparableCell[],
  baseline: readonly ComparableCell[],
  tolerance = 1e-9,
): RunComparison {
  const k = (c: ComparableCell): string => `${c.caseId}\u0000${c.modelId}\u0000${c.repeat}`;
  const base = new Map(baseline.map((c) => [k(c), c]));
  const regressions: RunComparison['regressions'] = [];
  const improvements: RunComparison['improvements'] = [];
  for (const c of current) {
    const b = base.get(k(c));
    if (!b) continue;
    const id = { caseId: c.caseId, modelId: c.modelId, repeat: c.repeat };
    if (b.pass && !c.pass) regressions.push(id);
    if (!b.pass && c.pass) improvements.push(id);
  }
  const rate = (cells: readonly ComparableCell[], model: string): number | null => {
    const mine = cells.filter((c) => c.modelId === model);
    return mine.length ? mine.filter((c) => c.pass).length / mine.length : null;
  };
  const modelIds = [...new Set(current.map((c) => c.modelId))];
  const models = modelIds.map((modelId) => {
    const passRate = rate(current, modelId);
    const baselinePassRate = rate(baseline, modelId);
    const delta = passRate !== null && baselinePassRate !== null ? passRate - baselinePassRate : null;
    return { modelId, passRate, baselinePassRate, delta, dropped: delta !== null && delta < -tolerance };
  });
  return { runId, baselineRunId, regressions, improvements, models, regressed: regressions.length > 0 || models.some((m) => m.dropped) };
}
