import type { DecisionRule, ModelDecision, Recommendation } from '../../../shared/contract/decide';
import type { PairedTest } from '../../../shared/domain/evals';
import { formatMs, formatPassRate, formatPercent, formatUsd } from '../../../shared/format';

export function ruleText(rule: DecisionRule): string {
  switch (rule.kind) {
    case 'cheapest-above-pass':
      return `Lowest cost per successful task among models with a pass rate of at least ${formatPercent(rule.minPassRate)}`;
    case 'best-pass-under-budget':
      return `Best pass rate among models costing at most ${formatUsd(rule.budgetUsdPerMonth)} a month at this volume`;
    case 'fastest-under-both':
      return `Lowest p95 latency among models with a pass rate of at least ${formatPercent(rule.minPassRate)} and costing at most ${formatUsd(rule.budgetUsdPerMonth)} a month`;
  }
}

/** A model whose every cell failed to finish has no quality to rank, under any rule. */
export const NOTHING_MEASURED = 'nothing measured: no task finished, so it has no pass rate';

/** Why a model cannot take part under the rule, or null when it can. */
function exclusion(m: ModelDecision, rule: DecisionRule): string | null {
  const needPass = rule.kind !== 'best-pass-under-budget';
  const needBudget = rule.kind !== 'cheapest-above-pass';
  if (m.passRate === null) return NOTHING_MEASURED;
  if (needPass && m.passRate < rule.minPassRate) {
    return `pass rate ${formatPercent(m.passRate)} is below the minimum ${formatPercent(rule.minPassRate)}`;
  }
  if (rule.kind === 'cheapest-above-pass' && m.costPerSuccessUsd === null) {
    return m.successes === 0 ? 'no task succeeded, so a successful task has no price' : `cost unknown: ${m.unknownReason ?? 'not measured'}`;
  }
  if (needBudget) {
    if (m.monthlyCostUsd === null) return `monthly cost unknown: ${m.unknownReason ?? 'not measured'}`;
    if (m.monthlyCostUsd > rule.budgetUsdPerMonth) return `${formatUsd(m.monthlyCostUsd)} a month is over the budget of ${formatUsd(rule.budgetUsdPerMonth)}`;
  }
  if (rule.kind === 'fastest-under-both' && m.latencyMsP95 === null) return 'p95 latency was not measured';
  return null;
}

/** Rule order: the first is the winner. Ties fall to the better pass rate, then the lower monthly cost. */
function compare(rule: DecisionRule): (a: ModelDecision, b: ModelDecision) => number {
  // Only eligible models are ranked, and exclusion() leaves out those without a pass rate.
  const rate = (m: ModelDecision): number => m.passRate ?? 0;
  const cost = (m: ModelDecision): number => m.monthlyCostUsd ?? Infinity;
  switch (rule.kind) {
    case 'cheapest-above-pass':
      return (a, b) => a.costPerSuccessUsd! - b.costPerSuccessUsd! || rate(b) - rate(a);
    case 'best-pass-under-budget':
      return (a, b) => rate(b) - rate(a) || cost(a) - cost(b);
    case 'fastest-under-both':
      return (a, b) => a.latencyMsP95! - b.latencyMsP95! || rate(b) - rate(a);
  }
}

function testBetween(tests: readonly PairedTest[], a: string, b: string): { betterA: number; betterB: number; pairs: number; pValue: number; significant: boolean } | null {
  const t = tests.find((x) => (x.modelA === a && x.modelB === b) || (x.modelA === b && x.modelB === a));
  if (!t) return null;
  const flip = t.modelA !== a;
  return { betterA: flip ? t.onlyB : t.onlyA, betterB: flip ? t.onlyA : t.onlyB, pairs: t.pairs, pValue: t.pValue, significant: t.significant };
}

/** A what-if hosted line has its local model's measurements; its paired tests are that model's. */
function measuredAs(m: ModelDecision): string {
  return m.basedOn ?? m.ref;
}

function p(value: number): string {
  return value < 0.001 ? 'p < 0.001' : `p = ${value.toFixed(3)}`;
}

/**
 * How the winner's pass rate compares with another model's, with the paired sign test over
 * cases: a lower rate that the test cannot tell apart is "not measurably worse", never "as good".
 */
export function qualityStatement(w: ModelDecision, o: ModelDecision, tests: readonly PairedTest[]): string {
  if (measuredAs(w) === measuredAs(o)) return `${w.ref} and ${o.ref} are the same weights, measured once in this run: the same quality.`;
  const t = testBetween(tests, measuredAs(w), measuredAs(o));
  const rates = `${formatPassRate(w.passRate)} vs ${formatPassRate(o.passRate)}`;
  if (w.passRate === null || o.passRate === null) return `${w.ref} vs ${o.ref}: pass rate ${rates}; a model with nothing measured cannot be compared.`;
  if (!t) return `${w.ref} vs ${o.ref}: pass rate ${rates}; no paired test (the models share no cases).`;
  const evidence = `exact sign test over ${t.pairs} shared case(s): ${w.ref} better on ${t.betterA}, ${o.ref} on ${t.betterB}, ${p(t.pValue)}`;
  if (t.significant) {
    return w.passRate >= o.passRate
      ? `${w.ref} passes significantly more than ${o.ref} (${rates}; ${evidence}).`
      : `${o.ref} passes significantly more than ${w.ref} (${rates}; ${evidence}): choosing ${w.ref} gives up measurable quality.`;
  }
  if (w.passRate < o.passRate) return `${w.ref} passes less often than ${o.ref} (${rates}), but the difference is not significant (${evidence}): not measurably worse on this suite.`;
  if (w.passRate > o.passRate) return `${w.ref} passes more often than ${o.ref} (${rates}), but the difference is not significant (${evidence}).`;
  return `${w.ref} and ${o.ref} pass equally often (${rates}; ${evidence}).`;
}

function costStatement(w: ModelDecision, o: ModelDecision): string | null {
  if (w.monthlyCostUsd === null || o.monthlyCostUsd === null) return null;
  const est = (m: ModelDecision): string => (m.estimate ? ' (estimate from Settings → Cost)' : '');
  if (w.monthlyCostUsd < o.monthlyCostUsd) return `At this volume ${w.ref} costs ${formatUsd(w.monthlyCostUsd)}${est(w)} a month against ${formatUsd(o.monthlyCostUsd)}${est(o)} for ${o.ref}.`;
  if (w.monthlyCostUsd > o.monthlyCostUsd) return `${w.ref} costs more at this volume: ${formatUsd(w.monthlyCostUsd)}${est(w)} a month against ${formatUsd(o.monthlyCostUsd)}${est(o)} for ${o.ref}.`;
  return null;
}

/** Ranks the models by the rule and says why the winner wins, including where the evidence is thin. */
export function recommend(models: readonly ModelDecision[], tests: readonly PairedTest[], rule: DecisionRule): Recommendation {
  const text = ruleText(rule);
  const judged = models.map((m) => ({ m, why: exclusion(m, rule) }));
  const eligible = judged.filter((j) => j.why === null).map((j) => j.m).sort(compare(rule));
  const ranking = [
    ...eligible.map((m, i) => ({ ref: m.ref, eligible: true, note: i === 0 ? 'recommended' : `ranked ${i + 1}` })),
    ...judged.filter((j) => j.why !== null).map((j) => ({ ref: j.m.ref, eligible: false, note: j.why! })),
  ];
  const winner = eligible[0] ?? null;
  if (!winner) {
    return { rule, ruleText: text, winner: null, ranking, reasons: judged.map((j) => `${j.m.ref}: ${j.why}.`), summary: `No model meets the rule: ${text.charAt(0).toLowerCase()}${text.slice(1)}.` };
  }
  const reasons: string[] = [];
  const runnerUp = eligible[1] ?? null;
  if (rule.kind === 'cheapest-above-pass') {
    reasons.push(`${winner.ref} has the lowest cost per successful task: ${formatUsd(winner.costPerSuccessUsd)}${winner.estimate ? ' (estimate from Settings → Cost)' : ''}${runnerUp ? `, against ${formatUsd(runnerUp.costPerSuccessUsd)} for ${runnerUp.ref}` : ''}.`);
  } else if (rule.kind === 'best-pass-under-budget') {
    reasons.push(`${winner.ref} has the best pass rate within the budget: ${formatPassRate(winner.passRate)} (95% CI ${formatPercent(winner.passRateCI95[0])}–${formatPercent(winner.passRateCI95[1])}).`);
  } else {
    reasons.push(`${winner.ref} has the lowest p95 latency among models meeting both limits: ${formatMs(winner.latencyMsP95)}${runnerUp ? `, against ${formatMs(runnerUp.latencyMsP95)} for ${runnerUp.ref}` : ''}.`);
  }
  // Quality against every other model the user might pick instead: the honest part of "cheaper and not worse".
  for (const o of models) {
    if (o.ref === winner.ref) continue;
    reasons.push(qualityStatement(winner, o, tests));
    const cost = costStatement(winner, o);
    if (cost && eligible.includes(o)) reasons.push(cost);
  }
  for (const j of judged) if (j.why) reasons.push(`${j.m.ref} is not eligible: ${j.why}.`);
  const worseThan = models.filter((o) => o.ref !== winner.ref && o.passRate !== null && o.passRate > (winner.passRate ?? 0));
  const sigWorse = worseThan.filter((o) => testBetween(tests, measuredAs(winner), measuredAs(o))?.significant);
  const quality =
    worseThan.length === 0
      ? 'no model in the run passes more often'
      : sigWorse.length === 0
        ? `on pass rate it is not measurably worse than ${worseThan.map((o) => o.ref).join(', ')} (no significant difference)`
        : `on pass rate it is significantly worse than ${sigWorse.map((o) => o.ref).join(', ')}`;
  return { rule, ruleText: text, winner: winner.ref, ranking, reasons, summary: `${winner.ref}, by the rule “${text}”; ${quality}.` };
}
