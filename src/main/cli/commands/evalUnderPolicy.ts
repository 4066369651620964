import type { RouteInput } from '../../../shared/contract';
import type { CliClient } from '../cliClient';
import type { CliIo } from '../program';

const pct = (n: number | null): string => (n === null ? '–' : `${(n * 100).toFixed(1)}%`);
const points = (n: number | null): string => (n === null ? '–' : `${n > 0 ? '+' : ''}${(n * 100).toFixed(1)} pts`);

/**
 * `parity eval --under-policy`: after the run under the data policy, the same suite again without
 * it (the policy must allow that with `evalBypass: true`), then pass rates side by side.
 */
export async function compareWithoutPolicy(
  client: CliClient,
  underRunId: string,
  input: RouteInput<'evals.runs.create'>,
  io: CliIo,
  signal?: AbortSignal,
): Promise<{ table: string; refused: boolean }> {
  const without = await client.call('evals.runs.create', { ...input, dataPolicy: 'off' });
  io.err(`Running the same ${without.totalCells} cells without the data policy (run ${without.id})\n`);
  await client.call('evals.runs.execute', { runId: without.id }, { signal });
  const cost = await client.call('policy.evalCost', { withPolicyRunId: underRunId, withoutPolicyRunId: without.id });
  const refused = (await client.call('evals.runs.results', { runId: without.id })).cells.some((c) => c.error?.code === 'POLICY_BLOCKED');
  const header = ['MODEL', 'UNDER POLICY', 'WITHOUT', 'DIFFERENCE', 'REFUSED CELLS'];
  const rows = cost.models.map((m) => [m.modelId, pct(m.withPolicy), pct(m.withoutPolicy), points(m.difference), String(m.refusedCells)]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const table = all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
  return { table: `\nData policy cost (pass rate under the policy vs without it):\n${table}\n`, refused };
}
