import { splitAssertionType, type AssertionResult, type AssertionSpec } from '../../../../shared/domain/evals';
import { SandboxError } from '../../sandbox/ScriptSandbox';
import { renderText } from '../templates/promptTemplate';
import { ASSERTION_HANDLERS, type AssertionContext, type HandlerResult } from './assertionHandlers';
import { COMPARE_PENDING } from './compareAssertions';

export type EvaluateOptions = Omit<AssertionContext, 'value' | 'threshold' | 'grader' | 'embeddingModel' | 'group'> & {
  expected?: string;
  /** Grader used when an llm-rubric assertion names none. */
  defaultGrader: string | null;
  /** Embedding model used when a similar assertion names none. */
  defaultEmbeddingModel?: string | null;
  /** Sandboxed code applied to the output before every assertion (promptfoo's `options.transform`). */
  transform?: string;
};

export interface CaseVerdict {
  pass: boolean;
  /** Weighted mean of assertion scores, 0..1 (1 when there is nothing to check). */
  score: number;
  assertions: AssertionResult[];
}

/** Types whose value is code or a pattern, not text to render with the case's vars. */
const UNRENDERED = new Set(['javascript', 'regex', 'python', 'assert-set']);

function asOutput(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** Runs a transform in the sandbox; its result (any JSON value) becomes the output the assertions see. */
async function transformed(
  code: string,
  output: unknown,
  base: Omit<EvaluateOptions, 'transform'>,
): Promise<{ ok: true; output: string; value: unknown } | { ok: false; reason: string }> {
  try {
    const value = await base.sandbox.run(code, output, { vars: base.vars, prompt: base.prompt }, { timeoutMs: base.jsTimeoutMs, signal: base.signal });
    return { ok: true, output: asOutput(value), value: typeof value === 'string' ? undefined : value };
  } catch (error) {
    return { ok: false, reason: `transform failed: ${error instanceof SandboxError || error instanceof Error ? error.message : String(error)}` };
  }
}

/** promptfoo renders an assertion's text value with the case's vars (`value: '{{expected}}'`). */
function renderedValue(spec: AssertionSpec, base: string, vars: Record<string, string>): unknown {
  const value = spec.value;
  if (typeof value !== 'string' || UNRENDERED.has(base) || !/\{\{|\{%/.test(value)) return value;
  try {
    return renderText(value, vars);
  } catch {
    return value;
  }
}

function renderedText(text: string, vars: Record<string, string>): string {
  if (!/\{\{|\{%/.test(text)) return text;
  try {
    return renderText(text, vars);
  } catch {
    return text;
  }
}

/** The case verdict from its assertion results (also after the comparison post-pass fills some in). */
export function combine(results: readonly AssertionResult[], threshold: number | undefined): { pass: boolean; score: number } {
  // Skipped assertions could not be evaluated here; they count neither for nor against.
  const counted = results.filter((r) => r.skipped === undefined);
  const totalWeight = counted.reduce((sum, r) => sum + r.weight, 0);
  const score = totalWeight === 0 ? (counted.every((r) => r.pass) ? 1 : 0) : counted.reduce((sum, r) => sum + r.weight * r.score, 0) / totalWeight;
  const pass = threshold !== undefined ? score >= threshold - 1e-12 : counted.filter((r) => r.weight > 0).every((r) => r.pass);
  return { pass, score };
}

/**
 * Runs every assertion of a case. Negation (`not-x`) flips pass and score. The case passes when
 * its weighted score reaches `threshold`, or, without a threshold, when every assertion of
 * non-zero weight passes. An assertion of a type Parity cannot evaluate is skipped with a reason.
 */
export async function evaluateAssertions(specs: readonly AssertionSpec[], threshold: number | undefined, options: EvaluateOptions): Promise<CaseVerdict> {
  const { transform, ...rest } = options;
  let base = rest;
  if (transform) {
    const t = await transformed(transform, rest.output, rest);
    if (!t.ok) {
      const assertions = specs.map((spec) => ({ type: spec.type, metric: spec.metric ?? null, pass: false, score: 0, weight: spec.weight ?? 1, reason: t.reason }));
      return { pass: false, score: 0, assertions };
    }
    base = { ...rest, output: t.output, outputValue: t.value };
  }
  const assertions = await evaluateEach(specs, base);
  return { ...combine(assertions, threshold), assertions };
}

async function evaluateEach(specs: readonly AssertionSpec[], options: Omit<EvaluateOptions, 'transform'>, inSet = false): Promise<AssertionResult[]> {
  const { expected, defaultGrader, defaultEmbeddingModel, ...base } = options;
  const results: AssertionResult[] = [];
  for (const spec of specs) {
    const split = splitAssertionType(spec.type);
    const weight = spec.weight ?? 1;
    // promptfoo renders metric names with the case vars too (`metric: '{{category}}'`).
    const metric = spec.metric === undefined ? null : renderedText(spec.metric, base.vars);
    if (!split) {
      const why = `unknown assertion type "${spec.type}"`;
      results.push({ type: spec.type, metric, pass: false, score: 0, weight, reason: why, skipped: why });
      continue;
    }
    let output = base.output;
    let outputValue = base.outputValue;
    if (spec.transform) {
      // An assertion's transform starts from what the case's transform produced (data stays data).
      const t = await transformed(spec.transform, outputValue !== undefined ? outputValue : output, options);
      if (!t.ok) {
        results.push({ type: spec.type, metric, pass: false, score: 0, weight, reason: t.reason });
        continue;
      }
      output = t.output;
      outputValue = t.value;
    }
    const ctx: AssertionContext = {
      ...base,
      output,
      outputValue,
      value: renderedValue(spec, split.base, base.vars) ?? expected,
      threshold: spec.threshold,
      grader: spec.provider ?? defaultGrader,
      embeddingModel: spec.provider ?? defaultEmbeddingModel ?? null,
      group: async (members, groupThreshold) => {
        const inner = await evaluateEach(members, { ...options, output, outputValue }, true);
        const verdict = combine(inner, groupThreshold);
        const skipped = inner.length > 0 && inner.every((r) => r.skipped !== undefined);
        const reason = inner.map((r) => `${r.type}: ${r.skipped !== undefined ? `skipped (${r.skipped})` : r.pass ? 'pass' : r.reason}`).join('; ');
        return { ...verdict, reason: reason || 'empty assert-set', ...(skipped ? { skipped: 'every assertion of the set was skipped' } : {}) };
      },
    };
    let outcome: HandlerResult;
    try {
      outcome = await ASSERTION_HANDLERS[split.base](ctx);
    } catch (error) {
      outcome = { pass: false, score: 0, reason: `assertion failed to run: ${error instanceof Error ? error.message : String(error)}` };
    }
    // The runner compares only top-level, plain comparisons across a case's outputs; say so for the rest.
    if (outcome.skipped === COMPARE_PENDING && (inSet || split.negated)) {
      const why = inSet ? `${split.base} inside an assert-set is not compared: put it in the test's own assert list` : `${spec.type} is not supported: a comparison cannot be negated`;
      outcome = { pass: false, score: 0, reason: why, skipped: why };
    }
    if (outcome.skipped !== undefined) {
      results.push({ type: spec.type, metric, pass: false, score: 0, weight, reason: outcome.reason, skipped: outcome.skipped });
      continue;
    }
    const pass = split.negated ? !outcome.pass : outcome.pass;
    const score = split.negated ? 1 - outcome.score : outcome.score;
    results.push({ type: spec.type, metric, pass, score, weight, reason: outcome.reason });
  }
  return results;
}
