import { describe, expect, it } from 'vitest';
import { derivedMetricsFor, evaluateFormula, namedScores } from '../../src/main/core/evals/derivedMetrics';
import { loadPromptfooConfig } from '../../src/main/core/evals/promptfoo/loadPromptfooConfig';
import type { AssertionResult } from '../../src/shared/domain/evals';

function cell(modelId: string, assertions: Array<Partial<AssertionResult>>) {
  return { modelId, assertions: assertions.map((a) => ({ type: 'contains', metric: null, pass: true, score: 1, weight: 1, reason: '', ...a })) };
}

describe("promptfoo's derivedMetrics", () => {
  it('evaluates formulas over names with arithmetic, powers and a few functions, and nothing else', () => {
    expect(evaluateFormula('2 * p * r / (p + r)', { p: 0.5, r: 1 })).toBeCloseTo(2 / 3);
    expect(evaluateFormula('-a ^ 2 + max(a, 3) + sqrt(16) % 3', { a: 2 })).toBe(-4 + 3 + 1);
    expect(evaluateFormula('missing + 1', {})).toBe(1);
    for (const bad of ['constructor.constructor("x")()', 'process', 'a; b', 'require("fs")', '(1 + 2']) {
      const names = { a: 1 };
      let threw = false;
      try {
        const v = evaluateFormula(bad, names);
        // A bare unknown name is a metric no cell reported: 0, never a host object.
        expect(v).toBe(0);
      } catch {
        threw = true;
      }
      if (bad !== 'process') expect(threw).toBe(true);
    }
  });

  it('sums named scores per model (skipped assertions excluded) and lets later metrics use earlier ones', () => {
    const cells = [
      cell('m', [{ metric: 'tp', score: 1 }, { metric: 'fp', score: 0 }]),
      cell('m', [{ metric: 'tp', score: 1 }, { metric: 'fp', score: 1 }, { metric: 'fp', score: 1, skipped: 'no grader' }]),
      cell('other', [{ metric: 'tp', score: 1 }]),
    ];
    expect(namedScores(cells, 'm')).toEqual({ tp: 2, fp: 1 });
    const spec = { derivedMetrics: [{ name: 'precision', value: 'tp / (tp + fp)' }, { name: 'double', value: 'precision * 2' }, { name: 'broken', value: 'tp / 0 - fp / 0' }] };
    expect(derivedMetricsFor(spec, cells, 'm')).toEqual([
      { name: 'precision', value: 2 / 3, error: null },
      { name: 'double', value: 4 / 3, error: null },
      { name: 'broken', value: null, error: expect.stringMatching(/finite/) },
    ]);
  });

  it('imports formulas and lists JavaScript-function metrics as ignored', () => {
    const { spec, warnings } = loadPromptfooConfig(
      'prompts: [hi]\ntests: [{vars: {}}]\nderivedMetrics:\n  - {name: f1, value: "2 * p * r / (p + r)"}\n  - {name: custom, value: "(scores) => scores.a"}\n',
    );
    expect(spec.derivedMetrics).toEqual([{ name: 'f1', value: '2 * p * r / (p + r)' }]);
    expect(warnings).toEqual([expect.stringMatching(/derivedMetrics\[1\]": ignored: derived metric "custom"/)]);
  });
});
