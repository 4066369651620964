import { AppError } from '../../../../shared/errors';
import type { ScriptSandbox } from '../../sandbox/ScriptSandbox';

/** Filters applied to filters' results: each round resolves one more level of such a chain. */
const MAX_ROUNDS = 6;
/** Calls of one filter per sandbox job: each job keeps the sandbox's own time limit. */
const CALLS_PER_JOB = 200;

interface PendingCall {
  name: string;
  value: unknown;
  args: unknown[];
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/** A value as the sandbox receives it: JSON data (Nunjucks' safe strings are strings). */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof String) return String(value);
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}

/**
 * The results of a suite's custom Nunjucks filters, computed in the sandbox. Nunjucks renders
 * synchronously and suite code only runs in the asynchronous sandbox, so a render asks this for
 * each call: a call already computed gives its result; a new one is noted and, for this round,
 * gives its input back. `resolveFilterCalls` renders until no call is new, so the last render
 * uses only results of the filters' own code.
 */
export class FilterCalls {
  readonly #results = new Map<string, Outcome>();
  readonly #pending = new Map<string, PendingCall>();
  #failed: { name: string; error: string } | null = null;

  apply(name: string, value: unknown, args: unknown[]): unknown {
    const call = { name, value: plain(value), args: args.map(plain) };
    const key = JSON.stringify([call.name, call.value, call.args]);
    const known = this.#results.get(key);
    if (!known) {
      this.#pending.set(key, call);
      return value;
    }
    if (known.ok) return known.value;
    // A failure counts only if a final render still makes this call (a provisional input may not).
    this.#failed ??= { name, error: known.error };
    return value;
  }

  /** The calls the last render made that have no result yet; starts the next round. */
  takePending(): Array<[string, PendingCall]> {
    const pending = [...this.#pending];
    this.#pending.clear();
    this.#failed = null;
    return pending;
  }

  failure(): { name: string; error: string } | null {
    return this.#failed;
  }

  set(key: string, outcome: Outcome): void {
    this.#results.set(key, outcome);
  }
}

/** One job: every listed call of one filter, each caught on its own so one bad input fails only itself. */
function batchCode(code: string): string {
  return `output.map((__c) => {
try { return { ok: true, value: ((output, context) => (${code}))(__c[0], __c[1]) }; }
catch (e) { return { ok: false, error: String(e && e.message ? e.message : e) }; }
})`;
}

export interface ResolveFilterOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Renders with `render` until every custom filter call it makes has its result from the sandbox,
 * and returns that last render. Without custom filters it renders once, with none.
 */
export async function resolveFilterCalls<T>(
  filters: Record<string, string> | undefined,
  render: (calls: FilterCalls | undefined) => T,
  sandbox: ScriptSandbox,
  { signal, timeoutMs }: ResolveFilterOptions = {},
): Promise<T> {
  if (!filters || Object.keys(filters).length === 0) return render(undefined);
  const calls = new FilterCalls();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const rendered = render(calls);
    const failed = calls.failure();
    const pending = calls.takePending();
    if (pending.length === 0) {
      if (failed) throw new AppError('SUITE_INVALID', `The custom Nunjucks filter "${failed.name}" failed: ${failed.error}`, { filter: failed.name });
      return rendered;
    }
    const byName = new Map<string, Array<[string, PendingCall]>>();
    for (const entry of pending) byName.set(entry[1].name, [...(byName.get(entry[1].name) ?? []), entry]);
    for (const [name, list] of byName) {
      const code = filters[name]!;
      for (let i = 0; i < list.length; i += CALLS_PER_JOB) {
        const chunk = list.slice(i, i + CALLS_PER_JOB);
        let out: unknown;
        try {
          out = await sandbox.run(batchCode(code), chunk.map(([, c]) => [c.value, c.args]), {}, { signal, ...(timeoutMs ? { timeoutMs } : {}) });
        } catch (error) {
          if (signal?.aborted) throw error;
          throw new AppError('SUITE_INVALID', `The custom Nunjucks filter "${name}" failed: ${error instanceof Error ? error.message : String(error)}`, { filter: name });
        }
        if (!Array.isArray(out) || out.length !== chunk.length) throw new AppError('SUITE_INVALID', `The custom Nunjucks filter "${name}" did not return a value for each call.`, { filter: name });
        chunk.forEach(([key], n) => {
          const r = out[n] as { ok?: unknown; value?: unknown; error?: unknown } | null;
          calls.set(key, r && r.ok === true ? { ok: true, value: r.value } : { ok: false, error: String(r?.error ?? 'no result') });
        });
      }
    }
  }
  throw new AppError('SUITE_INVALID', `Custom Nunjucks filters are applied to each other's results more than ${MAX_ROUNDS - 1} deep; simplify the templates.`, { rounds: MAX_ROUNDS });
}
