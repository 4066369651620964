import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../src/main/core/decide/evaluateDecision';
import { formatPassRate } from '../../src/shared/format';
import { decideServiceFor, fakeRun, GPT_4O_MINI_PRICES as prices, OWNED_BOX_SETTINGS as settings } from '../helpers/decideFixtures';

const base = { promptTokens: 400, completionTokens: 100 };

// local:broken never finished a cell (every one errored): nothing was measured, which is not 0%.
const { results, card } = fakeRun([
  { ref: 'local:broken', passes: () => false, ...base, totalMs: 500, errors: () => true },
  { ref: 'openai:gpt-4o-mini', passes: (i) => i < 19, ...base, totalMs: 900 },
]);
const rules = [
  { kind: 'cheapest-above-pass' as const, minPassRate: 0.5 },
  { kind: 'best-pass-under-budget' as const, budgetUsdPerMonth: 1e9 },
  { kind: 'fastest-under-both' as const, minPassRate: 0.5, budgetUsdPerMonth: 1e9 },
];

describe('a model with nothing measured in the Decide view', () => {
  it.each(rules)('has no pass rate, no cost per success, and is excluded as "nothing measured" under $kind', (rule) => {
    const d = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule }, results, prices, settings);
    const broken = d.models.find((m) => m.ref === 'local:broken')!;
    expect(broken).toMatchObject({ passRate: null, successes: 0, costPerSuccessUsd: null, monthlyCostUsd: null });
    const entry = d.recommendation.ranking.find((r) => r.ref === 'local:broken')!;
    expect(entry).toMatchObject({ eligible: false });
    expect(entry.note).toMatch(/^nothing measured/);
    expect(d.recommendation.winner).toBe('openai:gpt-4o-mini');
    // Nowhere is it a 0% pass rate, which would read as a measured result.
    const text = [...d.recommendation.reasons, d.recommendation.summary].join('\n');
    expect(text).toContain('local:broken is not eligible: nothing measured');
    expect(text).not.toMatch(/(^|[^\d.])0%/);
  });

  it('shows "– (nothing measured)" in the decision record and in the CLI text', async () => {
    const service = decideServiceFor({ results, card });
    const out = await service.record({ runId: 'run-d', volume: { amount: 2000 }, rule: rules[0]!, question: 'Local or API?' });
    expect(out.data.decision.models.find((m) => m.ref === 'local:broken')!.passRate).toBeNull();
    expect(out.content).toMatch(/<code>local:broken<\/code><\/td><td>– \(nothing measured\)<\/td>/);
    expect(out.content).not.toMatch(/<code>local:broken<\/code><\/td><td>0%/);
    expect(formatPassRate(null)).toBe('– (nothing measured)');
    expect(formatPassRate(0)).toBe('0%');
  });
});
