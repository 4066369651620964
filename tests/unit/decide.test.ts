import { describe, expect, it } from 'vitest';
import { evaluateDecision, type PriceLookup } from '../../src/main/core/decide/evaluateDecision';
import { DAYS_PER_MONTH } from '../../src/shared/domain/costModel';
import { fakeRun, OWNED_BOX_SETTINGS as settings, type FakeModel } from '../helpers/decideFixtures';

// 3000/36 + 0.5 kW × 24 h × 30.4375 d × $0.2
const MACHINE = 3000 / 36 + 0.5 * 24 * DAYS_PER_MONTH * 0.2;

const prices: PriceLookup = (ref) =>
  ({
    'openai:gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    'compat:together/llama-3-70b': { inputPerMTok: 0.88, outputPerMTok: 0.88 },
  })[ref] ?? null;

const upTo = (n: number) => (i: number) => i < n;
const base = { promptTokens: 400, completionTokens: 100 };
// 20 cases: 85%, 95%, 90%, 100% (unpriced).
const fourModels: FakeModel[] = [
  { ref: 'local:small', passes: upTo(17), ...base, totalMs: 500 },
  { ref: 'openai:gpt-4o-mini', passes: upTo(19), ...base, totalMs: 900 },
  { ref: 'compat:together/llama-3-70b', passes: upTo(18), ...base, totalMs: 700 },
  { ref: 'anthropic:claude-x', passes: upTo(20), ...base, totalMs: 800 },
];
const cheapest = { kind: 'cheapest-above-pass' as const, minPassRate: 0.8 };

describe('decide.evaluate arithmetic', () => {
  const { results } = fakeRun(fourModels);

  it('prices each kind at 2,000 tasks a day (hand-computed)', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: cheapest }, results, prices, settings);
    const by = Object.fromEntries(d.models.map((m) => [m.ref, m]));
    // (400 × 0.15 + 100 × 0.6) / 1e6 = $0.00012 per task
    expect(by['openai:gpt-4o-mini']!.monthlyCostUsd).toBeCloseTo(0.00012 * 2000 * DAYS_PER_MONTH, 9);
    expect(by['openai:gpt-4o-mini']!.costPerSuccessUsd).toBeCloseTo(0.00012 / 0.95, 12);
    expect(by['compat:together/llama-3-70b']!.kind).toBe('hosted');
    expect(by['compat:together/llama-3-70b']!.costPerTaskUsd).toBeCloseTo(500 * 0.88e-6, 12);
    // 0.5 s per task, 24 h, peak 2 → 86,400 tasks a day per machine: one machine plus ops.
    expect(by['local:small']).toMatchObject({ kind: 'local', machines: 1, estimate: true });
    expect(by['local:small']!.monthlyCostUsd).toBeCloseTo(100 + MACHINE, 9);
    expect(by['local:small']!.costPerTaskUsd).toBeCloseTo((100 + MACHINE) / (2000 * DAYS_PER_MONTH), 12);
  });

  it('keeps an unpriced model unknown, with the reason, and its break-even unknown', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: cheapest }, results, prices, settings);
    const claude = d.models.find((m) => m.ref === 'anthropic:claude-x')!;
    expect(claude).toMatchObject({ monthlyCostUsd: null, costPerTaskUsd: null, costPerSuccessUsd: null });
    expect(claude.unknownReason).toMatch(/no price for anthropic:claude-x/);
    const be = d.breakEvens.find((b) => b.remote === 'anthropic:claude-x')!;
    expect(be).toMatchObject({ firstTasksPerDay: null, alwaysFromTasksPerDay: null });
    expect(be.note).toMatch(/^unknown/);
  });

  it('puts the local/remote break-even where the closed form does: (ops + machine) / (r × days)', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: cheapest }, results, prices, settings);
    const be = d.breakEvens.find((b) => b.local === 'local:small' && b.remote === 'openai:gpt-4o-mini')!;
    expect(be.firstTasksPerDay).toBeCloseTo((100 + MACHINE) / (0.00012 * DAYS_PER_MONTH), 6);
    expect(d.breakEvens).toHaveLength(3);
    expect(d.breakEvens.map((b) => b.remoteKind).sort()).toEqual(['api', 'api', 'hosted']);
    // The chart reaches past every break-even, and each series is the monthly cost at each volume.
    expect(d.chart.volumes.at(-1)!).toBeGreaterThan(be.firstTasksPerDay!);
    expect(d.chart.series.find((s) => s.ref === 'anthropic:claude-x')!.monthlyUsd.every((v) => v === null)).toBe(true);
  });

  it('costs nothing at zero volume and needs no machine', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 0 }, rule: cheapest }, results, prices, settings);
    const local = d.models.find((m) => m.ref === 'local:small')!;
    expect(local).toMatchObject({ monthlyCostUsd: 0, machines: 0, costPerTaskUsd: null, costPerSuccessUsd: null });
    expect(d.models.find((m) => m.ref === 'openai:gpt-4o-mini')!.monthlyCostUsd).toBe(0);
  });

  it('converts tokens per day with the run’s mean tokens per task and projects growth', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 1_000_000, unit: 'tokens' }, monthlyGrowth: 0.1, rule: cheapest }, results, prices, settings);
    expect(d.meanTokensPerTask).toBe(500);
    expect(d.tasksPerDay).toBe(2000);
    const mini = d.models.find((m) => m.ref === 'openai:gpt-4o-mini')!;
    expect(mini.monthlyCostIn12MonthsUsd).toBeCloseTo(0.00012 * 2000 * 1.1 ** 12 * DAYS_PER_MONTH, 9);
  });

  it('does not count a one-off model load as time per task', () => {
    const { results: loaded } = fakeRun([{ ref: 'local:small', passes: upTo(17), ...base, totalMs: 500 }]);
    // The first cell waited 10 s for the model to load: still 0.5 s of work per task.
    loaded.cells[0]!.metrics = { ...loaded.cells[0]!.metrics, totalMs: 10_500, loadMs: 10_000 };
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 10 }, rule: cheapest }, loaded, prices, settings);
    expect(d.models[0]!.secondsPerTask).toBeCloseTo(0.5, 9);
  });

  it('adds a what-if hosted line for a local model: its tokens and quality at the host’s price, a break-even with self-hosting', () => {
    const d = evaluateDecision(
      { runId: 'run-d', volume: { amount: 2000 }, hosted: [{ basedOn: 'local:small', host: 'together', inputPerMTok: 0.2, outputPerMTok: 0.2 }], rule: cheapest },
      results,
      prices,
      settings,
    );
    const hosted = d.models.find((m) => m.ref === 'local:small @ together')!;
    // 500 tokens per task × $0.2 per million; the local run's 17 of 20 passes.
    expect(hosted).toMatchObject({ kind: 'hosted', basedOn: 'local:small', passRate: 0.85, latencyMsP95: null, estimate: false });
    expect(hosted.costPerTaskUsd).toBeCloseTo(500 * 0.2e-6, 12);
    const be = d.breakEvens.find((b) => b.local === 'local:small' && b.remote === 'local:small @ together')!;
    expect(be.remoteKind).toBe('hosted');
    expect(be.firstTasksPerDay).toBeCloseTo((100 + MACHINE) / (500 * 0.2e-6 * DAYS_PER_MONTH), 6);
    const statement = evaluateDecision(
      { runId: 'run-d', volume: { amount: 2000 }, hosted: [{ basedOn: 'local:small', host: 'together', inputPerMTok: 0.01, outputPerMTok: 0.01 }], rule: cheapest },
      results,
      prices,
      settings,
    ).recommendation;
    expect(statement.winner).toBe('local:small @ together');
    expect(statement.reasons.join('\n')).toMatch(/local:small @ together and local:small are the same weights/);
    expect(() => evaluateDecision({ runId: 'run-d', volume: { amount: 1 }, hosted: [{ basedOn: 'openai:gpt-4o-mini', host: 'x', inputPerMTok: 1, outputPerMTok: 1 }], rule: cheapest }, results, prices, settings)).toThrow(/not a local model of this run/);
  });

  it('applies per-evaluation overrides such as the peak factor', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 100_000 }, overrides: { peakFactor: 4 }, rule: cheapest }, results, prices, settings);
    // 0.5 s per task at peak 4 → 43,200 a day per machine: 100,000 needs 3.
    expect(d.models.find((m) => m.ref === 'local:small')!.machines).toBe(3);
    expect(d.settings.peakFactor).toBe(4);
  });
});

describe('recommendation and its reasons', () => {
  const { results } = fakeRun(fourModels);

  it('picks the cheapest per success above the minimum and says the better rates are not significant', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: cheapest }, results, prices, settings);
    expect(d.recommendation.winner).toBe('openai:gpt-4o-mini');
    const text = d.recommendation.reasons.join('\n');
    // Claude passes one more case: the sign test over 20 cases cannot tell them apart.
    expect(text).toMatch(/openai:gpt-4o-mini passes less often than anthropic:claude-x \(95% vs 100%\), but the difference is not significant/);
    expect(d.recommendation.ranking.find((r) => r.ref === 'anthropic:claude-x')).toMatchObject({ eligible: false });
    expect(d.recommendation.summary).toMatch(/not measurably worse than anthropic:claude-x/);
  });

  it('recommends the local model above its break-even, as cheaper and not measurably worse', () => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 200_000 }, rule: cheapest }, results, prices, settings);
    expect(d.recommendation.winner).toBe('local:small');
    expect(d.recommendation.reasons[0]).toMatch(/estimate from Settings → Cost/);
    expect(d.recommendation.summary).toMatch(/not measurably worse than openai:gpt-4o-mini, compat:together\/llama-3-70b, anthropic:claude-x/);
  });

  it('says so when the cheaper winner is significantly worse', () => {
    const { results: weak } = fakeRun([
      { ref: 'local:weak', passes: upTo(10), ...base, totalMs: 100 },
      { ref: 'openai:gpt-4o-mini', passes: upTo(20), ...base, totalMs: 900 },
    ]);
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2_000_000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.4 } }, weak, prices, settings);
    expect(d.recommendation.winner).toBe('local:weak');
    expect(d.recommendation.reasons.join('\n')).toMatch(/openai:gpt-4o-mini passes significantly more than local:weak .*gives up measurable quality/);
    expect(d.recommendation.summary).toMatch(/significantly worse than openai:gpt-4o-mini/);
  });

  it('best pass rate under a budget, and lowest p95 under both', () => {
    const budget = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'best-pass-under-budget', budgetUsdPerMonth: 50 } }, results, prices, settings);
    // Claude's cost is unknown, so it cannot be shown to fit the budget; local costs 256 > 50.
    expect(budget.recommendation.winner).toBe('openai:gpt-4o-mini');
    expect(budget.recommendation.ranking.find((r) => r.ref === 'local:small')!.note).toMatch(/over the budget/);
    const fast = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'fastest-under-both', minPassRate: 0.85, budgetUsdPerMonth: 1000 } }, results, prices, settings);
    expect(fast.recommendation.winner).toBe('local:small');
    expect(fast.recommendation.reasons[0]).toMatch(/lowest p95 latency/);
  });

  it('a run with failures only has no cost per success and no winner', () => {
    const { results: failing } = fakeRun([
      { ref: 'local:broken', passes: () => false, ...base, totalMs: 500, errors: () => true },
      { ref: 'openai:gpt-4o-mini', passes: () => false, ...base, totalMs: 900 },
    ]);
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 } }, failing, prices, settings);
    const broken = d.models.find((m) => m.ref === 'local:broken')!;
    expect(broken).toMatchObject({ monthlyCostUsd: null, costPerSuccessUsd: null, secondsPerTask: null });
    expect(broken.unknownReason).toMatch(/no task finished/);
    const mini = d.models.find((m) => m.ref === 'openai:gpt-4o-mini')!;
    expect(mini.costPerTaskUsd).toBeCloseTo(0.00012, 12);
    expect(mini.costPerSuccessUsd).toBeNull();
    expect(d.recommendation.winner).toBeNull();
    expect(d.recommendation.ranking.find((r) => r.ref === 'openai:gpt-4o-mini')!.note).toMatch(/no task succeeded/);
  });

  it('refuses a negative volume with a message naming the field', () => {
    expect(() => evaluateDecision({ runId: 'run-d', volume: { amount: -1 }, rule: cheapest }, results, prices, settings)).toThrow(/negative/);
  });
});
