import type { RouteInput } from '../../../shared/contract';
import type { RunStatus, RunSummary } from '../../../shared/domain/evals';
import type { CliClient } from '../cliClient';
import type { CliIo } from '../program';

const pct = (n: number | null): string => (n === null ? '–' : `${(n * 100).toFixed(1)}%`);
const points = (n: number | null): string => (n === null ? '–' : `${n > 0 ? '+' : ''}${(n * 100).toFixed(1)} pts`);

/** Statuses a run leaves only by a resume: the CLI stops waiting there. */
const SETTLED: ReadonlySet<RunStatus> = new Set(['completed', 'cancelled', 'interrupted', 'failed']);

/** How often the wait re-reads the run when no progress event arrived (a status set without one). */
const RECHECK_MS = 500;

/**
 * `parity eval --under-policy` starts both runs through `evals.runs.startPolicyCost`, the route
 * the app's run dialog uses: the same validation and refusal, the pair stored together and linked
 * by `policyCostPair` in both cards, the second run only once the first completed.
 */
export async function startUnderPolicy(client: CliClient, input: RouteInput<'evals.runs.startPolicyCost'>): Promise<{ under: RunSummary; without: RunSummary }> {
  const { withPolicy, withoutPolicy } = await client.call('evals.runs.startPolicyCost', input);
  return { under: withPolicy, without: withoutPolicy };
}

/**
 * Waits until a run the app runs in the background settles and returns its summary. `signal`
 * (Ctrl+C) cancels it through `evals.runs.cancel`; its finished cells stay stored, resumable.
 */
export async function waitForRun(client: CliClient, runId: string, signal?: AbortSignal): Promise<RunSummary> {
  let wake: (() => void) | null = null;
  const off = client.on('evals.progress', (p) => {
    if (p.runId === runId) wake?.();
  });
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  let cancelled = false;
  try {
    for (;;) {
      const run = await client.call('evals.runs.get', { runId });
      if (SETTLED.has(run.status)) return run;
      if (signal?.aborted && !cancelled) {
        cancelled = true;
        // Resolves once the run has stopped (or marks a run that never started as cancelled).
        await client.call('evals.runs.cancel', { runId });
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => resolve(), RECHECK_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    off();
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * After the run under the data policy completed, the app runs the same suite without it (the
 * policy must allow that with `evalBypass: true`): wait for it, then pass rates side by side.
 */
export async function compareWithoutPolicy(
  client: CliClient,
  underRunId: string,
  without: RunSummary,
  io: CliIo,
  signal?: AbortSignal,
): Promise<{ table: string; refused: boolean; status: RunStatus }> {
  io.err(`Running the same ${without.totalCells} cells without the data policy (run ${without.id})\n`);
  const done = await waitForRun(client, without.id, signal);
  const cost = await client.call('policy.evalCost', { withPolicyRunId: underRunId, withoutPolicyRunId: without.id });
  const refused = (await client.call('evals.runs.results', { runId: without.id })).cells.some((c) => c.error?.code === 'POLICY_BLOCKED');
  const header = ['MODEL', 'UNDER POLICY', 'WITHOUT', 'DIFFERENCE', 'REFUSED CELLS'];
  const rows = cost.models.map((m) => [m.modelId, pct(m.withPolicy), pct(m.withoutPolicy), points(m.difference), String(m.refusedCells)]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const table = all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
  return { table: `\nData policy cost (pass rate under the policy vs without it):\n${table}\n`, refused, status: done.status };
}
