import nunjucks from 'nunjucks';

export { nunjucks };
import { AppError } from '../../../../shared/errors';

/**
 * Nunjucks is a template engine, not a sandbox: out of the box `{{ range.constructor("...")() }}`
 * reaches `Function` and runs arbitrary code in this process, and a suite's templates are
 * untrusted. Every member and name lookup of compiled templates goes through two runtime
 * functions, so those are replaced (once, for the whole process) by versions that never hand out
 * a constructor or a prototype and see only a template's own data, not inherited properties.
 */
const BLOCKED = new Set(['constructor', '__proto__', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** Most numbers `range()` may produce in one render, and the largest size a filter may pad or split to. */
export const MAX_TEMPLATE_RANGE = 10_000;

type Runtime = {
  memberLookup: (obj: unknown, key: unknown) => unknown;
  contextOrFrameLookup: (context: NunjucksContext, frame: { lookup(name: string): unknown }, name: string) => unknown;
  __paritySafe?: boolean;
};
interface NunjucksContext {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

function safeMember(obj: unknown, key: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  const name = String(key);
  if (BLOCKED.has(name)) return undefined;
  // Functions (range, cycler, filters) expose nothing: their properties lead back to Function.
  if (typeof obj === 'function') return undefined;
  const isPrimitiveLike = typeof obj === 'string' || typeof obj === 'number' || typeof obj === 'boolean' || Array.isArray(obj);
  // Plain data sees only its own keys; strings, numbers and lists keep their methods (`name.toUpperCase()`).
  if (!isPrimitiveLike && !Object.prototype.hasOwnProperty.call(obj, name)) return undefined;
  const value = (obj as Record<string, unknown>)[name];
  if (typeof value === 'function') return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(obj, args);
  return value;
}

function safeName(context: NunjucksContext, frame: { lookup(name: string): unknown }, name: string): unknown {
  if (BLOCKED.has(name)) return undefined;
  const val = frame.lookup(name);
  if (val !== undefined) return val;
  if (Object.prototype.hasOwnProperty.call(context.ctx, name)) return context.ctx[name];
  if (Object.prototype.hasOwnProperty.call(context.env.globals, name)) return context.env.globals[name];
  return undefined;
}

function hardenRuntime(): void {
  const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;
  if (runtime.__paritySafe) return;
  runtime.memberLookup = safeMember;
  runtime.contextOrFrameLookup = safeName;
  runtime.__paritySafe = true;
}

/**
 * `range()` with a budget shared by every call in one render: nested loops multiply, so a cap per
 * call alone would still let `range(1e4)` inside `range(1e4)` run 10^8 times.
 */
export function budgetedRange(): (start: number, stop?: number, step?: number) => number[] {
  let left = MAX_TEMPLATE_RANGE;
  return (start, stop, step = 1) => {
    const [from, to] = stop === undefined ? [0, start] : [start, stop];
    const out: number[] = [];
    if (!Number.isFinite(from) || !Number.isFinite(to) || !Number.isFinite(step) || step === 0) return out;
    for (let i = from; step > 0 ? i < to : i > to; i += step) {
      if (left-- <= 0) throw new AppError('SUITE_INVALID', `range() may produce at most ${MAX_TEMPLATE_RANGE} numbers in one suite template; loop over fewer.`, { limit: MAX_TEMPLATE_RANGE });
      out.push(i);
    }
    return out;
  };
}

/** Built-in filters whose size argument builds that much text or that many lists, clamped. */
const SIZED_FILTERS = ['center', 'indent', 'slice', 'batch'] as const;

/**
 * A Nunjucks environment with no loader (so `include`/`import`/`extends` cannot read files),
 * promptfoo's settings (no autoescape, undefined renders empty) and the hardened runtime.
 */
export function createTemplateEnvironment(): nunjucks.Environment {
  hardenRuntime();
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  env.addGlobal('range', budgetedRange());
  // promptfoo's own filter: a JSON string var as data (`{{ (style | load).tone }}`).
  env.addFilter('load', (text: unknown) => JSON.parse(String(text)) as unknown);
  for (const name of SIZED_FILTERS) {
    const builtin = env.getFilter(name) as (value: unknown, size: unknown, ...rest: unknown[]) => unknown;
    env.addFilter(name, (value: unknown, size: unknown, ...rest: unknown[]) => builtin(value, typeof size === 'number' ? Math.min(size, MAX_TEMPLATE_RANGE) : size, ...rest));
  }
  return env;
}
