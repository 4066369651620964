import { describe, expect, it } from 'vitest';
import { compareCells, pairedTest, scorecard } from '../../src/main/core/evals/results';
import { mcnemarExact, percentile, wilsonInterval } from '../../src/main/core/evals/stats';
import type { EvalCell } from '../../src/shared/domain/evals';
import { emptyMetrics } from '../../src/shared/domain/generation';

describe('wilsonInterval', () => {
  // Reference values: Newcombe (1998), Table I, and statsmodels proportion_confint(method='wilson').
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [10, 10, 0.7225, 1],
    [5, 10, 0.2366, 0.7634],
  ])('%i/%i → [%f, %f]', (k, n, lo, hi) => {
    const [l, h] = wilsonInterval(k, n);
    expect(l).toBeCloseTo(lo, 3);
    expect(h).toBeCloseTo(hi, 3);
  });

  it('is [0, 1] with no data', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe('percentile', () => {
  it('interpolates like numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('mcnemarExact', () => {
  it('matches the two-sided binomial test on discordant pairs', () => {
    // scipy.stats.binomtest(1, 10, 0.5).pvalue = 0.021484375
    expect(mcnemarExact(1, 9)).toBeCloseTo(0.021484375, 9);
    // binomtest(0, 6) = 0.03125; binomtest(3, 7) = 1.0
    expect(mcnemarExact(6, 0)).toBeCloseTo(0.03125, 9);
    expect(mcnemarExact(3, 4)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    // binomtest(10, 40) = 0.002221...
    expect(mcnemarExact(10, 30)).toBeCloseTo(0.0022214, 6);
  });
});

function cell(caseId: string, modelId: string, pass: boolean, extra: Partial<EvalCell['metrics']> = {}, output = 'ok'): EvalCell {
  return {
    runId: 'r',
    caseId,
    modelId,
    repeat: 0,
    status: 'done',
    request: { messages: [], params: {} },
    output,
    pass,
    score: pass ? 1 : 0,
    assertions: [],
    metrics: { ...emptyMetrics('x', modelId), ...extra },
    error: null,
    finishedAt: 'now',
  };
}

describe('scorecard', () => {
  it('computes pass rate, CI, latency percentiles, tokens, cost and cost per success', () => {
    const cells = [
      cell('a', 'm', true, { totalMs: 100, ttftMs: 10, promptTokens: 5, completionTokens: 10, decodeTokensPerSecond: 100, costUsd: 0.01, host: 'h' }),
      cell('b', 'm', true, { totalMs: 200, ttftMs: 20, promptTokens: 5, completionTokens: 30, decodeTokensPerSecond: 50, costUsd: 0.03, host: 'h' }, '{"x":1}'),
      cell('c', 'm', false, { totalMs: 300, ttftMs: 30, promptTokens: 5, completionTokens: 0, costUsd: 0.02, host: 'h' }, "I'm sorry, I can't help with that"),
      cell('a', 'other', true),
    ];
    const s = scorecard('m', cells);
    expect(s.cells).toBe(3);
    expect(s.passRate).toBeCloseTo(2 / 3);
    expect(s.passRateCI95).toEqual(wilsonInterval(2, 3));
    expect(s.latencyMsP50).toBe(200);
    expect(s.ttftMsP95).toBeCloseTo(29);
    expect(s.inputTokens).toBe(15);
    expect(s.outputTokens).toBe(40);
    // 40 tokens over 0.1 s + 0.6 s
    expect(s.decodeTokensPerSecond).toBeCloseTo(40 / 0.7);
    expect(s.costUsd).toBeCloseTo(0.06);
    expect(s.costPerSuccessUsd).toBeCloseTo(0.03);
    expect(s.jsonValidityRate).toBeCloseTo(1 / 3);
    expect(s.refusalRate).toBeCloseTo(1 / 3);
  });

  it('cost per success is null when cost is unknown or nothing passed', () => {
    expect(scorecard('m', [cell('a', 'm', true, { host: 'h', costUsd: null })]).costPerSuccessUsd).toBeNull();
    expect(scorecard('m', [cell('a', 'm', false, { host: null })]).costPerSuccessUsd).toBeNull();
    // Local (host null) costs nothing.
    expect(scorecard('m', [cell('a', 'm', true, { host: null })]).costUsd).toBe(0);
  });
});

describe('pairedTest and compareCells', () => {
  it('counts discordant pairs on the same cases', () => {
    const cells = [
      ...['1', '2', '3', '4', '5', '6'].map((id) => cell(id, 'A', true)),
      ...['1', '2', '3', '4', '5', '6'].map((id) => cell(id, 'B', id === '1')),
    ];
    const t = pairedTest('A', 'B', cells);
    expect(t).toMatchObject({ pairs: 6, onlyA: 5, onlyB: 0 });
    expect(t.pValue).toBeCloseTo(0.0625);
    expect(t.significant).toBe(false);
  });

  it('flags cells that passed in the baseline and fail now, and pass-rate drops', () => {
    const base = [cell('1', 'A', true), cell('2', 'A', false), cell('3', 'A', true)];
    const now = [cell('1', 'A', false), cell('2', 'A', true), cell('3', 'A', true)];
    const cmp = compareCells('now', 'base', now, base);
    expect(cmp.regressions).toEqual([{ caseId: '1', modelId: 'A', repeat: 0 }]);
    expect(cmp.improvements).toHaveLength(1);
    expect(cmp.models[0]).toMatchObject({ delta: 0, dropped: false });
    expect(cmp.regressed).toBe(true);
    expect(compareCells('x', 'y', base, base).regressed).toBe(false);
  });
});
