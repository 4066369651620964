import type { DerivedMetricResult, EvalCell, SuiteSpec } from '../../../shared/domain/evals';
import { AppError } from '../../../shared/errors';

/**
 * promptfoo's `derivedMetrics`: named formulas over the named scores (`metric:` on assertions),
 * e.g. `f1: 2 * precision * recall / (precision + recall)`. promptfoo evaluates them with mathjs
 * over each column's summed named scores; here the same arithmetic is parsed by a small evaluator
 * that knows numbers, names, + - * / ^ %, parentheses and a few functions, so a formula from a
 * suite is never run as code.
 */

export type NamedScores = Record<string, number>;

/** promptfoo's named scores of one model: each metric's assertion scores summed over its cells. */
export function namedScores(cells: ReadonlyArray<Pick<EvalCell, 'modelId' | 'assertions'>>, modelId: string): NamedScores {
  const sums: NamedScores = {};
  for (const cell of cells) {
    if (cell.modelId !== modelId) continue;
    for (const a of cell.assertions) {
      if (a.metric === null || a.skipped !== undefined) continue;
      sums[a.metric] = (sums[a.metric] ?? 0) + a.score;
    }
  }
  return sums;
}

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
  sqrt: Math.sqrt,
  log: Math.log,
  exp: Math.exp,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
};

type Token = { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)|([A-Za-z_][\w.]*)|(\*\*|[-+*/^%(),]))/gy;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new AppError('SUITE_INVALID', `unexpected "${text.slice(at).trim()[0]}" at ${at + 1}`);
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'name', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3] === '**' ? '^' : m[3]! });
  }
  return tokens;
}

/** Evaluates a formula with the given names; throws with a readable reason on anything else. */
export function evaluateFormula(text: string, names: NamedScores): number {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const take = (op: string): boolean => {
    const t = peek();
    if (t?.kind === 'op' && t.value === op) {
      i++;
      return true;
    }
    return false;
  };
  const expr = (): number => {
    let v = term();
    for (;;) {
      if (take('+')) v += term();
      else if (take('-')) v -= term();
      else return v;
    }
  };
  const term = (): number => {
    let v = unary();
    for (;;) {
      if (take('*')) v *= unary();
      else if (take('/')) v /= unary();
      else if (take('%')) v %= unary();
      else return v;
    }
  };
  const unary = (): number => (take('-') ? -unary() : take('+') ? unary() : power());
  const power = (): number => {
    const base = atom();
    return take('^') ? base ** unary() : base;
  };
  const atom = (): number => {
    const t = tokens[i++];
    if (!t) throw new AppError('SUITE_INVALID', 'the formula ends too early');
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = expr();
      if (!take(')')) throw new AppError('SUITE_INVALID', 'a ( is not closed');
      return v;
    }
    if (t.kind === 'name') {
      if (take('(')) {
        const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, t.value) ? FUNCTIONS[t.value] : undefined;
        if (!fn) throw new AppError('SUITE_INVALID', `unknown function ${t.value}()`);
        const args: number[] = [];
        if (!take(')')) {
          do args.push(expr());
          while (take(','));
          if (!take(')')) throw new AppError('SUITE_INVALID', `${t.value}( is not closed`);
        }
        return fn(...args);
      }
      // A metric no cell reported counts as 0, as in promptfoo (its named scores start at 0).
      return Object.prototype.hasOwnProperty.call(names, t.value) ? names[t.value]! : 0;
    }
    throw new AppError('SUITE_INVALID', `unexpected "${t.value}"`);
  };
  const value = expr();
  if (i < tokens.length) throw new AppError('SUITE_INVALID', `unexpected "${(tokens[i] as Token).value}"`);
  return value;
}

export interface DerivedMetricValue {
  name: string;
  /** Null when the formula could not be evaluated (then `error` says why) or is not a finite number. */
  value: number | null;
  error: string | null;
}

/** Each derived metric of the suite for one model, in the suite's order; earlier ones may be used by later ones. */
export function derivedMetricsFor(spec: Pick<SuiteSpec, 'derivedMetrics'>, cells: ReadonlyArray<Pick<EvalCell, 'modelId' | 'assertions'>>, modelId: string): DerivedMetricValue[] {
  const names = namedScores(cells, modelId);
  return (spec.derivedMetrics ?? []).map(({ name, value }) => {
    try {
      const v = evaluateFormula(value, names);
      names[name] = v;
      return Number.isFinite(v) ? { name, value: v, error: null } : { name, value: null, error: 'not a finite number (a division by zero?)' };
    } catch (error) {
      return { name, value: null, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** Every model's derived metrics, model by model in the run's order (reports and the app). */
export function derivedMetricsOf(spec: Pick<SuiteSpec, 'derivedMetrics'>, models: readonly string[], cells: ReadonlyArray<Pick<EvalCell, 'modelId' | 'assertions'>>): DerivedMetricResult[] {
  if (!spec.derivedMetrics?.length) return [];
  return models.flatMap((modelId) => derivedMetricsFor(spec, cells, modelId).map((d) => ({ modelId, ...d })));
}
