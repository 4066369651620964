import type { AssertionResult, AssertionSpec } from '../../../../shared/domain/evals';
import type { ChatMessage } from '../../../../shared/domain/generation';
import { COMPARE_ASSERTION_TYPES, COMPARE_PENDING, isPendingComparison } from '../../../../shared/domain/cellGrading';
import type { GradeFunction } from './assertionHandlers';

/**
 * promptfoo's comparison assertions: they judge the outputs of every provider and prompt for one
 * test case together, so a cell cannot score them alone. Each cell first stores them as pending;
 * the runner's post-pass replaces them once every output of the case is in.
 */
export const COMPARE_TYPES = new Set(COMPARE_ASSERTION_TYPES);
export { COMPARE_PENDING, isPendingComparison };

const NEEDS_GRADER = 'needs a grader model (no grader model set: choose one in Settings, pass --grader, or set `provider` on the assertion)';

/** One output of the case, with its own results (the comparisons among them still pending). */
export interface CompareCandidate {
  output: string;
  assertions: readonly AssertionResult[];
}

export type CompareOutcome = Pick<AssertionResult, 'pass' | 'score' | 'reason' | 'skipped'>;

export interface CompareOptions {
  vars: Record<string, string>;
  /** The assertion's grader, else the case's, else the run's. */
  grader: string | null;
  grade: GradeFunction | null;
  signal?: AbortSignal;
}

function everyOne(n: number, outcome: CompareOutcome): CompareOutcome[] {
  return Array.from({ length: n }, () => ({ ...outcome }));
}

function fail(reason: string): CompareOutcome {
  return { pass: false, score: 0, reason };
}

function skipped(reason: string): CompareOutcome {
  return { pass: false, score: 0, reason, skipped: reason };
}

/** One outcome per candidate, in the candidates' order. */
export async function compareOutputs(spec: AssertionSpec, candidates: readonly CompareCandidate[], options: CompareOptions): Promise<CompareOutcome[]> {
  // promptfoo refuses to compare fewer than two outputs; here that case is skipped, not failed.
  if (candidates.length < 2) return everyOne(candidates.length, skipped(`${spec.type} needs at least two outputs of this case to compare (run it with more than one model or prompt)`));
  return spec.type === 'select-best' ? selectBest(spec, candidates, options) : maxScore(spec, candidates);
}

/** The grading prompt: numbered outputs, and a reply that is one index (what small local graders manage best). */
export function selectBestMessages(criteria: string, outputs: readonly string[], vars: Record<string, string>): ChatMessage[] {
  const varsText = Object.keys(vars).length ? `Inputs:\n${Object.entries(vars).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n\n` : '';
  const listed = outputs.map((o, i) => `<output index="${i}">\n${o}\n</output>`).join('\n');
  return [
    {
      role: 'system',
      content: `You compare several outputs and pick the one that best meets the criteria. Reply with ONLY the index of that output, a whole number from 0 to ${outputs.length - 1}. No other text.`,
    },
    { role: 'user', content: `Criteria:\n${criteria}\n\n${varsText}Outputs:\n${listed}` },
  ];
}

async function selectBest(spec: AssertionSpec, candidates: readonly CompareCandidate[], options: CompareOptions): Promise<CompareOutcome[]> {
  const n = candidates.length;
  if (!options.grader || !options.grade) return everyOne(n, skipped(NEEDS_GRADER));
  const criteria = typeof spec.value === 'string' ? spec.value : JSON.stringify(spec.value ?? '');
  let reply: string;
  try {
    reply = await options.grade(options.grader, selectBestMessages(criteria, candidates.map((c) => c.output), options.vars), { signal: options.signal });
  } catch (error) {
    return everyOne(n, fail(`grader ${options.grader} failed: ${error instanceof Error ? error.message : String(error)}`));
  }
  // As promptfoo reads it: the first whole number in the reply is the chosen output.
  const match = /\d+/.exec(reply.trim());
  const verdict = match ? Number.parseInt(match[0], 10) : Number.NaN;
  if (!Number.isInteger(verdict) || verdict < 0 || verdict >= n) return everyOne(n, fail(`invalid select-best verdict from ${options.grader}: ${JSON.stringify(reply.slice(0, 60))}`));
  return candidates.map((_c, i) => (i === verdict ? { pass: true, score: 1, reason: `Output selected as the best: ${criteria}` } : fail(`Output not selected: ${criteria}`)));
}

interface MaxScoreValue {
  method: 'average' | 'sum';
  weights: Record<string, number>;
  threshold: number | undefined;
}

function maxScoreValue(spec: AssertionSpec): MaxScoreValue {
  const v = spec.value && typeof spec.value === 'object' && !Array.isArray(spec.value) ? (spec.value as Record<string, unknown>) : {};
  const weights: Record<string, number> = {};
  if (v.weights && typeof v.weights === 'object') {
    for (const [type, w] of Object.entries(v.weights as Record<string, unknown>)) if (typeof w === 'number' && Number.isFinite(w)) weights[type] = w;
  }
  const threshold = typeof v.threshold === 'number' ? v.threshold : spec.threshold;
  return { method: v.method === 'sum' ? 'sum' : 'average', weights, threshold };
}

/**
 * promptfoo's max-score: each output's aggregate (average or sum, weighted by assertion type, 1
 * by default) of its other assertions; the first highest wins, when it reaches the threshold.
 */
function maxScore(spec: AssertionSpec, candidates: readonly CompareCandidate[]): CompareOutcome[] {
  const options = maxScoreValue(spec);
  // Comparisons are not scores of the output, and a skipped assertion measured nothing.
  const relevant = candidates.map((c) => c.assertions.filter((r) => !COMPARE_TYPES.has(r.type) && !r.type.startsWith('select-') && r.skipped === undefined));
  if (relevant.some((rs) => rs.length === 0)) return everyOne(candidates.length, fail('max-score needs at least one other evaluated assertion (besides max-score and select-*) to aggregate scores from'));
  const scores = relevant.map((rs) => {
    let weighted = 0;
    let total = 0;
    for (const r of rs) {
      const w = options.weights[r.type] ?? 1;
      weighted += r.score * w;
      total += w;
    }
    return options.method === 'sum' ? weighted : total > 0 ? weighted / total : 0;
  });
  let winner = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[winner]!) winner = i;
  const best = scores[winner]!;
  const meets = options.threshold === undefined || best >= options.threshold;
  return scores.map((score, i) => {
    if (i === winner && meets) return { pass: true, score: 1, reason: `Selected as highest scoring output (score: ${score.toFixed(3)})` };
    if (score === best && !meets) return fail(`Not selected - score ${score.toFixed(3)} below threshold ${options.threshold}`);
    return fail(`Not selected (score: ${score.toFixed(3)}, max: ${best.toFixed(3)})`);
  });
}
