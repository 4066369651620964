import { describe, expect, it } from 'vitest';
import { evaluateDecision } from '../../src/main/core/decide/evaluateDecision';
import { decideServiceFor, fakeRun, GPT_4O_MINI_PRICES as prices, OWNED_BOX_SETTINGS as settings, type FakeModel } from '../helpers/decideFixtures';

const base = { promptTokens: 400, completionTokens: 100 };
const rule = { kind: 'cheapest-above-pass' as const, minPassRate: 0.5 };
const input = { runId: 'run-d', volume: { amount: 2000 }, rule };

// 16 graded cases (10 of them pass) per model; the 20-case run adds 4 whose select-best never ran.
const models = (ungraded: FakeModel['ungraded']): FakeModel[] => [
  { ref: 'local:small', passes: (i) => i < 10, ...base, totalMs: 500, ungraded },
  { ref: 'openai:gpt-4o-mini', passes: (i) => i < 12, ...base, totalMs: 900, ungraded },
];
const withUngraded = fakeRun(models((i) => i >= 16), 20);
const without = fakeRun(models(() => false), 16);

describe('Decide never counts a cell that was not graded as a task without success', () => {
  it('gives the same success rate and cost per successful task as the run without those cells', () => {
    const a = evaluateDecision(input, withUngraded.results, prices, settings);
    const b = evaluateDecision(input, without.results, prices, settings);
    for (const ref of ['local:small', 'openai:gpt-4o-mini']) {
      const ma = a.models.find((m) => m.ref === ref)!;
      const mb = b.models.find((m) => m.ref === ref)!;
      expect(ma).toMatchObject({ tasks: 16, successes: mb.successes, ungradedTasks: 4 });
      expect(mb.ungradedTasks).toBe(0);
      expect(ma.successes / ma.tasks).toBe(mb.successes / mb.tasks);
      expect(ma.costPerSuccessUsd).not.toBeNull();
      expect(ma.costPerSuccessUsd).toBeCloseTo(mb.costPerSuccessUsd!, 12);
      expect(ma.passRate).toBe(mb.passRate);
    }
    expect(a.recommendation.winner).toBe(b.recommendation.winner);
  });

  it('says how many were left out, in the view\'s assumptions and in the record', async () => {
    const d = evaluateDecision(input, withUngraded.results, prices, settings);
    expect(d.assumptions.join('\n')).toContain('Left out as not graded (a select-best / max-score comparison that never ran): 4 tasks of local:small, 4 of openai:gpt-4o-mini.');
    expect(evaluateDecision(input, without.results, prices, settings).assumptions.join('\n')).not.toContain('not graded');
    const service = decideServiceFor(withUngraded);
    const out = await service.record({ ...input, question: 'Local or API?' });
    expect(out.content).toContain('<td>10/20 · 4 not graded</td>');
    expect(out.content).toContain('4 tasks of local:small, 4 of openai:gpt-4o-mini');
  });
});
