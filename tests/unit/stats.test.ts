import { describe, expect, it } from 'vitest';
import { compareCells, pairedTest, scorecard } from '../../src/main/core/evals/results';
import { mcnemarExact, percentile, wilsonInterval } from '../../src/main/core/evals/stats';
import { caseDefinitions } from '../../src/main/core/evals/suiteDiff';
import { SuiteSpecSchema, type EvalCell } from '../../src/shared/domain/evals';
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

function cell(caseId: string, modelId: string, pass: boolean, extra: Partial<EvalCell['metrics']> = {}, output = 'ok', asserted: string[] = ['contains'], repeat = 0): EvalCell {
  return {
    runId: 'r',
    caseId,
    modelId,
    repeat,
    status: 'done',
    request: { messages: [], params: {} },
    output,
    pass,
    score: pass ? 1 : 0,
    assertions: asserted.map((type) => ({ type, metric: null, pass, score: pass ? 1 : 0, weight: 1, reason: '' })),
    metrics: { ...emptyMetrics('x', modelId), ...extra },
    error: null,
    finishedAt: 'now',
  };
}

describe('scorecard', () => {
  it('computes pass rate, CI, latency percentiles, tokens, cost and cost per success', () => {
    const cells = [
      cell('a', 'm', true, { totalMs: 100, ttftMs: 10, promptTokens: 5, completionTokens: 10, decodeTokensPerSecond: 100, costUsd: 0.01, host: 'h' }),
      cell('b', 'm', true, { totalMs: 200, ttftMs: 20, promptTokens: 5, completionTokens: 30, decodeTokensPerSecond: 50, costUsd: 0.03, host: 'h' }, '{"x":1}', ['is-json', 'not-is-refusal']),
      cell('c', 'm', false, { totalMs: 300, ttftMs: 30, promptTokens: 5, completionTokens: 0, costUsd: 0.02, host: 'h' }, "I'm sorry, I can't help with that", ['is-json', 'is-refusal']),
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
    // Only b and c assert on JSON and refusals: rates over those two cells.
    expect(s.jsonValidityRate).toBeCloseTo(1 / 2);
    expect(s.refusalRate).toBeCloseTo(1 / 2);
  });

  it('reports JSON validity and refusals as null (not measured), never 0, when no case asserts on them', () => {
    const s = scorecard('m', [cell('a', 'm', true, {}, '{"x":1}'), cell('b', 'm', false, {}, "I'm sorry, I can't help with that")]);
    expect(s.jsonValidityRate).toBeNull();
    expect(s.refusalRate).toBeNull();
    // contains-json measures JSON anywhere in the text, not the whole output.
    expect(scorecard('m', [cell('a', 'm', true, {}, 'here: {"x":1}', ['contains-json'])]).jsonValidityRate).toBe(1);
    // A cell that errored measured nothing.
    expect(scorecard('m', [{ ...cell('a', 'm', false, {}, '', ['is-json']), status: 'error' }]).jsonValidityRate).toBeNull();
  });

  it('pass rate is null (not measured), never 0, when no cell finished: all errored, or none run yet', () => {
    const errored = (caseId: string): EvalCell => ({ ...cell(caseId, 'm', false), status: 'error', error: { code: 'PROVIDER_AUTH', message: 'bad key' } });
    const allErrored = scorecard('m', [errored('a'), errored('b')]);
    expect(allErrored).toMatchObject({ passRate: null, passRateCI95: [0, 1], cells: 2, errors: 2, passes: 0 });
    expect(scorecard('m', []).passRate).toBeNull();
    // One finished cell makes it measured: the errored case still counts as a failure.
    expect(scorecard('m', [errored('a'), cell('b', 'm', true)]).passRate).toBe(0.5);
    expect(scorecard('m', [errored('a'), cell('b', 'm', false)]).passRate).toBe(0);
  });

  it('cost per success is null when cost is unknown or nothing passed', () => {
    expect(scorecard('m', [cell('a', 'm', true, { host: 'h', costUsd: null })]).costPerSuccessUsd).toBeNull();
    expect(scorecard('m', [cell('a', 'm', false, { host: null })]).costPerSuccessUsd).toBeNull();
    // Local (host null) costs nothing.
    expect(scorecard('m', [cell('a', 'm', true, { host: null })]).costUsd).toBe(0);
  });
});

/** The run: 2 distinct cases × 3 repeats; A passes every cell, B fails every cell. */
function twoCasesThreeRepeats(): EvalCell[] {
  const out: EvalCell[] = [];
  for (const caseId of ['c1', 'c2']) {
    for (let r = 0; r < 3; r++) out.push(cell(caseId, 'A', true, {}, 'ok', ['contains'], r), cell(caseId, 'B', false, {}, 'ok', ['contains'], r));
  }
  return out;
}

describe('the case is the unit, not the cell', () => {
  it('6 cells from 2 cases, all passing: 100% with the Wilson interval for n = 2 (34–100%), not n = 6 (61–100%)', () => {
    const s = scorecard('A', twoCasesThreeRepeats());
    expect(s).toMatchObject({ unit: 'case', cases: 2, cells: 6, passes: 6, passRate: 1 });
    expect(s.passRateCI95).toEqual(wilsonInterval(2, 2));
    expect(s.passRateCI95[0]).toBeCloseTo(0.3424, 3);
    expect(s.passRateCI95[0]).not.toBeCloseTo(wilsonInterval(6, 6)[0], 2);
  });

  it('paired test over the 2 cases: p = 0.5 (binomtest(2, 2)), not 0.031 from 6 copied cells', () => {
    const t = pairedTest('A', 'B', twoCasesThreeRepeats());
    expect(t).toMatchObject({ unit: 'case', pairs: 2, onlyA: 2, onlyB: 0, significant: false });
    expect(t.pValue).toBeCloseTo(0.5, 12);
  });

  it('averages repeats within a case: the interval uses the summed per-case fractions over n = cases', () => {
    // Case 1 passes 2 of 3 repeats, case 2 passes 1 of 3 and case 3 all of 3: mean of (2/3, 1/3, 1).
    const cells = [
      ...[true, true, false].map((p, r) => cell('1', 'm', p, {}, 'ok', ['contains'], r)),
      ...[true, false, false].map((p, r) => cell('2', 'm', p, {}, 'ok', ['contains'], r)),
      ...[true, true, true].map((p, r) => cell('3', 'm', p, {}, 'ok', ['contains'], r)),
    ];
    const s = scorecard('m', cells);
    expect(s.cases).toBe(3);
    expect(s.passRate).toBeCloseTo(2 / 3);
    expect(s.passRateCI95).toEqual(wilsonInterval(2, 3));
    // A case counts for the model whose repeats passed more often; equal fractions are ties.
    const other = [...[true, false, false], ...[true, false, false], ...[true, true, true]].map((p, i) => cell(String(Math.floor(i / 3) + 1), 'o', p, {}, 'ok', ['contains'], i % 3));
    expect(pairedTest('m', 'o', [...cells, ...other])).toMatchObject({ pairs: 3, onlyA: 1, onlyB: 0 });
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
    expect(cmp.warning).toBeNull();
  });

  it('across suite versions compares only cases whose definition is unchanged, and warns', () => {
    const base = [cell('same', 'A', true), cell('edited', 'A', true), cell('gone', 'A', true)];
    const now = [cell('same', 'A', true), cell('edited', 'A', false), cell('new', 'A', false)];
    const cmp = compareCells('now', 'base', now, base, {
      baseline: { suiteVersion: 1, definitions: new Map([['same', 'd1'], ['edited', 'd2'], ['gone', 'd3']]) },
      current: { suiteVersion: 2, definitions: new Map([['same', 'd1'], ['edited', 'd2-changed'], ['new', 'd4']]) },
    });
    // "edited" failing now is not a regression: its assertions changed, so it measures something else.
    expect(cmp.regressions).toEqual([]);
    expect(cmp.regressed).toBe(false);
    expect(cmp.comparedCases).toBe(1);
    expect(cmp.excludedCases).toEqual([
      { caseId: 'edited', reason: 'changed' },
      { caseId: 'new', reason: 'added' },
      { caseId: 'gone', reason: 'removed' },
    ]);
    expect(cmp.models[0]).toMatchObject({ passRate: 1, baselinePassRate: 1, delta: 0 });
    expect(cmp.warning).toMatch(/v1.*v2/);
    expect(cmp.warning).toMatch(/1 changed, 1 added, 1 removed/);
  });

  it('warns when the baseline records no case definitions (an old --json report)', () => {
    const base = [cell('1', 'A', true)];
    const cmp = compareCells('now', 'base', base, base, { current: { suiteVersion: 2, definitions: new Map([['1', 'd']]) }, baseline: { suiteVersion: null, definitions: null } });
    expect(cmp.comparedCases).toBe(1);
    expect(cmp.warning).toMatch(/does not record its case definitions/);
  });
});

describe('caseDefinitions', () => {
  const spec = SuiteSpecSchema.parse({
    name: 's',
    prompts: [{ template: 'Q: {{q}}' }],
    cases: [
      { id: 'a', vars: { q: '1' }, assert: [{ type: 'contains', value: '1' }] },
      { id: 'b', vars: { q: '2' }, assert: [{ type: 'contains', value: '2' }] },
    ],
  });
  const defs = caseDefinitions(spec);

  it('ignores what changes no result (descriptions, the suite name)', () => {
    const renamed = SuiteSpecSchema.parse({ ...spec, name: 'other', cases: spec.cases.map((c) => ({ ...c, description: 'now described' })) });
    expect(caseDefinitions(renamed)).toEqual(defs);
  });

  it('changes for an edited assertion, a shared defaultTest assertion, or the prompt', () => {
    const edited = caseDefinitions(SuiteSpecSchema.parse({ ...spec, cases: [{ ...spec.cases[0]!, assert: [{ type: 'icontains', value: '1' }] }, spec.cases[1]!] }));
    expect(edited.get('a')).not.toBe(defs.get('a'));
    expect(edited.get('b')).toBe(defs.get('b'));
    const shared = caseDefinitions(SuiteSpecSchema.parse({ ...spec, defaultTest: { assert: [{ type: 'is-json' }] } }));
    expect([shared.get('a'), shared.get('b')]).not.toContain(defs.get('a'));
    expect(shared.get('b')).not.toBe(defs.get('b'));
    const prompt = caseDefinitions(SuiteSpecSchema.parse({ ...spec, prompts: [{ template: 'Question: {{q}}' }] }));
    expect(prompt.get('a')).not.toBe(defs.get('a'));
  });
});
