import { splitAssertionType, STATS_UNIT, type CaseRate, type EvalCell, type PairedTest, type RunComparison, type Scorecard, type SkippedAssertionSummary } from '../../../shared/domain/evals';
import { awaitsComparison } from '../../../shared/domain/cellGrading';
import { cachedSchemaValidator, structuredChecks } from './toolCallChecks';
import { extractJsonValues, parseWholeJson } from './assertions/json';
import { isRefusal } from './assertions/refusal';
import { mcnemarExact, percentile, wilsonInterval } from './stats';

function nums(values: Array<number | null>): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

const JSON_ASSERTIONS = new Set(['is-json', 'contains-json', 'is-valid-json-schema', 'json-schema']);

/**
 * JSON validity and refusal of one finished cell, each only where its case asserts on it (null:
 * not measured). JSON counts as valid the way the case asked for it: anywhere in the text when it
 * only uses contains-json, else the whole output.
 */
export function cellChecks(cell: EvalCell): { jsonValid: boolean | null; refused: boolean | null } {
  if (cell.status !== 'done') return { jsonValid: null, refused: null };
  const types = new Set(cell.assertions.map((a) => splitAssertionType(a.type)?.base));
  const json = [...types].filter((t) => t !== undefined && JSON_ASSERTIONS.has(t));
  const jsonValid = json.length === 0 ? null : json.some((t) => t !== 'contains-json') ? parseWholeJson(cell.output).ok : extractJsonValues(cell.output).length > 0;
  return { jsonValid, refused: types.has('is-refusal') ? isRefusal(cell.output) : null };
}

/** A rate over the cells that measured it; null when none did (shown "–", never 0%). */
function rateOf(measured: readonly boolean[]): number | null {
  return measured.length ? measured.filter(Boolean).length / measured.length : null;
}

/**
 * Per case, the fraction of its finished repeats that passed (errors count as failures). The case
 * is the unit of every interval and paired test: repeats of one case are not independent samples.
 */
export function casePassFractions(cells: ReadonlyArray<{ caseId: string; pass: boolean | null }>): Map<string, number> {
  const tally = new Map<string, { n: number; passed: number }>();
  for (const c of cells) {
    if (c.pass === null) continue;
    const t = tally.get(c.caseId) ?? { n: 0, passed: 0 };
    t.n++;
    if (c.pass) t.passed++;
    tally.set(c.caseId, t);
  }
  return new Map([...tally].map(([caseId, t]) => [caseId, t.passed / t.n]));
}

/**
 * A rate over cases: each case contributes the fraction of its measured repeats that were true,
 * and the interval is Wilson's with n = cases that measured it. Null when no case did.
 */
export function caseRate(measured: ReadonlyArray<{ caseId: string; value: boolean }>): CaseRate | null {
  const tally = new Map<string, { n: number; yes: number }>();
  for (const m of measured) {
    const t = tally.get(m.caseId) ?? { n: 0, yes: 0 };
    t.n++;
    if (m.value) t.yes++;
    tally.set(m.caseId, t);
  }
  if (tally.size === 0) return null;
  const successes = [...tally.values()].reduce((s, t) => s + t.yes / t.n, 0);
  return { rate: successes / tally.size, ci95: wilsonInterval(successes, tally.size), cases: tally.size };
}

/**
 * Structured-output reliability of one model. An errored cell measures nothing (a provider that
 * cannot do the feature says so in the cell, it is not a 0%); a finished one measures what its
 * request asked for.
 */
export function structuredRates(cells: readonly EvalCell[]): NonNullable<Scorecard['structured']> {
  const series = { jsonValid: [], schemaValid: [], toolCallValid: [], toolChoiceAccuracy: [] } as Record<'jsonValid' | 'schemaValid' | 'toolCallValid' | 'toolChoiceAccuracy', Array<{ caseId: string; value: boolean }>>;
  const validate = cachedSchemaValidator();
  for (const c of cells) {
    if (c.status !== 'done') continue;
    const f1 = c.assertions.find((a) => splitAssertionType(a.type)?.base === 'tool-call-f1' && a.skipped === undefined);
    const checks = structuredChecks({ output: c.output, params: c.request.params, toolCalls: c.metrics.toolCalls, expectedToolsMet: f1 ? f1.pass : null }, validate);
    const add = (key: keyof typeof series, value: boolean | null): void => {
      if (value !== null) series[key].push({ caseId: c.caseId, value });
    };
    add('jsonValid', checks.jsonValid);
    add('schemaValid', checks.schemaValid);
    add('toolCallValid', checks.toolCallValid);
    add('toolChoiceAccuracy', checks.toolChoiceCorrect);
  }
  return {
    jsonValid: caseRate(series.jsonValid),
    schemaValid: caseRate(series.schemaValid),
    toolCallValid: caseRate(series.toolCallValid),
    toolChoiceAccuracy: caseRate(series.toolChoiceAccuracy),
  };
}

/**
 * One model's scorecard over its cells (errored cells count as failures; the pass rate is null
 * until one graded cell finished). A cell whose comparison never ran is not graded: its timings
 * and cost count, its verdict does not.
 */
export function scorecard(modelId: string, cells: readonly EvalCell[]): Scorecard {
  const mine = cells.filter((c) => c.modelId === modelId);
  const graded = mine.filter((c) => !awaitsComparison(c));
  const passes = graded.filter((c) => c.pass).length;
  const ok = mine.filter((c) => c.status === 'done');
  const gradedOk = graded.filter((c) => c.status === 'done');
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
  const fractions = [...casePassFractions(graded).values()];
  const caseSuccesses = fractions.reduce((s, f) => s + f, 0);
  const jsonMeasured: boolean[] = [];
  const refusalMeasured: boolean[] = [];
  for (const c of ok) {
    const { jsonValid, refused } = cellChecks(c);
    if (jsonValid !== null) jsonMeasured.push(jsonValid);
    if (refused !== null) refusalMeasured.push(refused);
  }
  return {
    modelId,
    unit: STATS_UNIT,
    cases: fractions.length,
    cells: mine.length,
    passes,
    errors: mine.length - ok.length,
    ungraded: mine.length - graded.length,
    // Errored cells count as failures beside finished ones, but with no graded cell finished (all
    // errored, aborted or not graded, or none run yet) nothing was measured: null ("–"), never a 0%.
    passRate: gradedOk.length ? caseSuccesses / fractions.length : null,
    passRateCI95: gradedOk.length ? wilsonInterval(caseSuccesses, fractions.length) : [0, 1],
    ttftMsP50: percentile(ttft, 50),
    ttftMsP95: percentile(ttft, 95),
    latencyMsP50: percentile(latency, 50),
    latencyMsP95: percentile(latency, 95),
    decodeTokensPerSecond: decodeSeconds > 0 ? decodeTokens / decodeSeconds : null,
    inputTokens: mine.reduce((s, c) => s + (c.metrics.promptTokens ?? 0), 0),
    outputTokens: mine.reduce((s, c) => s + (c.metrics.completionTokens ?? 0), 0),
    costUsd,
    costPerSuccessUsd: costUsd === null || passes === 0 ? null : costUsd / passes,
    jsonValidityRate: rateOf(jsonMeasured),
    refusalRate: rateOf(refusalMeasured),
    structured: structuredRates(mine),
  };
}

/**
 * Exact sign test over the cases both models have: a case counts for the model whose repeats
 * passed more often (McNemar on discordant cases when there is one repeat).
 */
export function pairedTest(modelA: string, modelB: string, cells: readonly EvalCell[], alpha = 0.05): PairedTest {
  const a = casePassFractions(cells.filter((c) => c.modelId === modelA && !awaitsComparison(c)));
  const b = casePassFractions(cells.filter((c) => c.modelId === modelB && !awaitsComparison(c)));
  let pairs = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const [caseId, fa] of a) {
    const fb = b.get(caseId);
    if (fb === undefined) continue;
    pairs++;
    if (fa > fb) onlyA++;
    if (fa < fb) onlyB++;
  }
  const pValue = mcnemarExact(onlyA, onlyB);
  return { modelA, modelB, unit: STATS_UNIT, pairs, onlyA, onlyB, pValue, significant: pValue < alpha };
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
  /** null: not graded (its comparison never ran, as a report says it), so it is compared with nothing. */
  pass: boolean | null;
  /** A stored cell's own, which tell a cell still waiting for its comparison. */
  status?: EvalCell['status'];
  assertions?: EvalCell['assertions'];
}

function isGraded(c: ComparableCell): boolean {
  return c.pass !== null && !(c.status && c.assertions && awaitsComparison({ status: c.status, assertions: c.assertions }));
}

/** Each case's definition fingerprint (see caseDefinitions) and the suite version, for either side of a comparison. */
export interface ComparisonSide {
  suiteVersion: number | null;
  /** caseId → fingerprint; null when unknown (a --json report written before fingerprints existed). */
  definitions: ReadonlyMap<string, string> | null;
}

export interface CompareCellsOptions {
  current?: ComparisonSide;
  baseline?: ComparisonSide;
  tolerance?: number;
}

function excludedCases(current: ComparisonSide | undefined, baseline: ComparisonSide | undefined): RunComparison['excludedCases'] {
  if (!current?.definitions || !baseline?.definitions) return [];
  const out: RunComparison['excludedCases'] = [];
  for (const [caseId, def] of current.definitions) {
    const before = baseline.definitions.get(caseId);
    if (before === undefined) out.push({ caseId, reason: 'added' });
    else if (before !== def) out.push({ caseId, reason: 'changed' });
  }
  for (const caseId of baseline.definitions.keys()) if (!current.definitions.has(caseId)) out.push({ caseId, reason: 'removed' });
  return out;
}

function comparisonWarning(excluded: RunComparison['excludedCases'], compared: number, current?: ComparisonSide, baseline?: ComparisonSide): string | null {
  const a = baseline?.suiteVersion ?? null;
  const b = current?.suiteVersion ?? null;
  const versions = a !== null && b !== null && a !== b ? `The baseline ran suite v${a}, this run v${b}. ` : '';
  if (current?.definitions && !baseline?.definitions) {
    return `${versions}The baseline does not record its case definitions, so cases changed since cannot be told apart: all cases are compared.`;
  }
  if (excluded.length === 0) return versions ? `${versions}Every case's definition is unchanged, so all ${compared} case(s) are compared.` : null;
  const count = (reason: string): number => excluded.filter((e) => e.reason === reason).length;
  const parts = [
    count('changed') && `${count('changed')} changed`,
    count('added') && `${count('added')} added`,
    count('removed') && `${count('removed')} removed`,
  ].filter(Boolean);
  return `${versions}Left out: ${parts.join(', ')} case(s), whose results do not measure the same thing; comparing the ${compared} unchanged case(s) only.`;
}

/**
 * Regressions against a baseline: cells that passed there and fail now, and models whose pass
 * rate (mean over cases) dropped by more than `tolerance`. Cells are matched by case, model and
 * repeat; with definitions on both sides, only cases whose definition is unchanged are compared.
 */
export function compareCells(
  runId: string,
  baselineRunId: string,
  current: readonly ComparableCell[],
  baseline: readonly ComparableCell[],
  options: CompareCellsOptions = {},
): RunComparison {
  const tolerance = options.tolerance ?? 1e-9;
  const excluded = excludedCases(options.current, options.baseline);
  const left = new Set(excluded.map((e) => e.caseId));
  const cur = current.filter((c) => !left.has(c.caseId) && isGraded(c));
  const prev = baseline.filter((c) => !left.has(c.caseId) && isGraded(c));
  const k = (c: ComparableCell): string => `${c.caseId}\u0000${c.modelId}\u0000${c.repeat}`;
  const base = new Map(prev.map((c) => [k(c), c]));
  const regressions: RunComparison['regressions'] = [];
  const improvements: RunComparison['improvements'] = [];
  for (const c of cur) {
    const b = base.get(k(c));
    if (!b) continue;
    const id = { caseId: c.caseId, modelId: c.modelId, repeat: c.repeat };
    if (b.pass && !c.pass) regressions.push(id);
    if (!b.pass && c.pass) improvements.push(id);
  }
  const rate = (cells: readonly ComparableCell[], model: string): number | null => {
    const fractions = [...casePassFractions(cells.filter((c) => c.modelId === model)).values()];
    return fractions.length ? fractions.reduce((s, f) => s + f, 0) / fractions.length : null;
  };
  const modelIds = [...new Set(cur.map((c) => c.modelId))];
  const models = modelIds.map((modelId) => {
    const passRate = rate(cur, modelId);
    const baselinePassRate = rate(prev, modelId);
    const delta = passRate !== null && baselinePassRate !== null ? passRate - baselinePassRate : null;
    return { modelId, passRate, baselinePassRate, delta, dropped: delta !== null && delta < -tolerance };
  });
  const baselineCases = new Set(prev.map((c) => c.caseId));
  const comparedCases = new Set(cur.map((c) => c.caseId).filter((id) => baselineCases.has(id))).size;
  return {
    runId,
    baselineRunId,
    comparedCases,
    excludedCases: excluded,
    warning: comparisonWarning(excluded, comparedCases, options.current, options.baseline),
    regressions,
    improvements,
    models,
    regressed: regressions.length > 0 || models.some((m) => m.dropped),
  };
}

/**
 * What a run could not evaluate (no grader model, python...), once per assertion type and reason
 * with the number of cells, so a report says it once instead of in every cell.
 */
export function skippedAssertions(cells: ReadonlyArray<Pick<EvalCell, 'assertions'>>): SkippedAssertionSummary[] {
  const byKind = new Map<string, SkippedAssertionSummary>();
  for (const c of cells) {
    for (const a of c.assertions) {
      if (a.skipped === undefined) continue;
      const key = `${a.type}\u0000${a.skipped}`;
      const entry = byKind.get(key);
      if (entry) entry.cells++;
      else byKind.set(key, { type: a.type, reason: a.skipped, cells: 1 });
    }
  }
  return [...byKind.values()];
}
