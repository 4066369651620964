import { splitAssertionType, type AssertionResult, type AssertionSpec } from '../../../../shared/domain/evals';
import { ASSERTION_HANDLERS, type AssertionContext } from './assertionHandlers';

export type EvaluateOptions = Omit<AssertionContext, 'value' | 'threshold' | 'grader' | 'embeddingModel'> & {
  expected?: string;
  /** Grader used when an llm-rubric assertion names none. */
  defaultGrader: string | null;
  /** Embedding model used when a similar assertion names none. */
  defaultEmbeddingModel?: string | null;
};

export interface CaseVerdict {
  pass: boolean;
  /** Weighted mean of assertion scores, 0..1 (1 when there is nothing to check). */
  score: number;
  assertions: AssertionResult[];
}

/**
 * Runs every assertion of a case. Negation (`not-x`) flips pass and score. The case passes when
 * its weighted score reaches `threshold`, or, without a threshold, when every assertion of
 * non-zero weight passes.
 */
export async function evaluateAssertions(specs: readonly AssertionSpec[], threshold: number | undefined, options: EvaluateOptions): Promise<CaseVerdict> {
  const { expected, defaultGrader, defaultEmbeddingModel, ...base } = options;
  const results: AssertionResult[] = [];
  for (const spec of specs) {
    const split = splitAssertionType(spec.type);
    const weight = spec.weight ?? 1;
    if (!split) {
      results.push({ type: spec.type, metric: spec.metric ?? null, pass: false, score: 0, weight, reason: `unknown assertion type "${spec.type}"` });
      continue;
    }
    const ctx: AssertionContext = {
      ...base,
      value: spec.value ?? expected,
      threshold: spec.threshold,
      grader: spec.provider ?? defaultGrader,
      embeddingModel: spec.provider ?? defaultEmbeddingModel ?? null,
    };
    let outcome;
    try {
      outcome = await ASSERTION_HANDLERS[split.base](ctx);
    } catch (error) {
      outcome = { pass: false, score: 0, reason: `assertion failed to run: ${error instanceof Error ? error.message : String(error)}` };
    }
    const pass = split.negated ? !outcome.pass : outcome.pass;
    const score = split.negated ? 1 - outcome.score : outcome.score;
    results.push({ type: spec.type, metric: spec.metric ?? null, pass, score, weight, reason: outcome.reason });
  }
  const totalWeight = results.reduce((sum, r) => sum + r.weight, 0);
  const score = totalWeight === 0 ? (results.every((r) => r.pass) ? 1 : 0) : results.reduce((sum, r) => sum + r.weight * r.score, 0) / totalWeight;
  const pass = threshold !== undefined ? score >= threshold - 1e-12 : results.filter((r) => r.weight > 0).every((r) => r.pass);
  return { pass, score, assertions: results };
}
