import { useId, useState } from 'react';
import type { EventPayload, PolicyCost, PolicyCostPair, RunStatus } from '../../shared/contract';
import { formatPercent } from '../../shared/format';
import { useParityEvent } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useEvalsMutation, useRun } from './useEvals';
import { usePolicyCost } from './usePolicyCost';
import './policyCost.css';

type Progress = EventPayload<'evals.progress'>;

const isActive = (s: RunStatus | undefined): boolean => s === 'running' || s === 'pending';

/**
 * Whether to offer "Run without the policy now": the second run is waiting (never started, stopped
 * or interrupted) and the first is not running, so the two never run side by side. A pending second
 * run starts by itself when the first completes; a cancelled one waits for the user.
 */
export function offerRunWithout(underStatus: RunStatus | undefined, withoutStatus: RunStatus | undefined): boolean {
  if (underStatus === undefined || isActive(underStatus)) return false;
  return withoutStatus === 'pending' || withoutStatus === 'cancelled' || withoutStatus === 'interrupted';
}

/** "-50 pts", "+2.5 pts"; "–" when either side was not measured (never a 0 that hides it). */
function formatPoints(d: number | null): string {
  if (d === null) return formatPercent(null);
  const text = (d * 100).toFixed(1).replace(/\.0$/, '');
  return `${d > 0 ? '+' : ''}${text === '-0' ? '0' : text} pts`;
}

function statusText(status: RunStatus | undefined, live: Progress | undefined): string {
  if (!status) return '…';
  if (status === 'running' && live) return `running (${live.done} of ${live.total})`;
  return status;
}

/**
 * A run of a policy-cost pair: both runs' progress, then per model the pass rate under the data
 * policy, without it, the difference and the cells the policy refused (policy.evalCost). The pair
 * comes from the run card, so it is found again after a reload.
 */
export function PolicyCostSection({ runId, pair }: { runId: string; pair: PolicyCostPair }) {
  const id = useId();
  const under = useRun(pair.withPolicyRunId);
  const without = useRun(pair.withoutPolicyRunId);
  const [live, setLive] = useState<Record<string, Progress>>({});
  useParityEvent('evals.progress', (p) => {
    if (p.runId === pair.withPolicyRunId || p.runId === pair.withoutPolicyRunId) setLive((l) => ({ ...l, [p.runId]: p }));
  });
  const resume = useEvalsMutation('evals.runs.resume');
  const underStatus = live[pair.withPolicyRunId]?.status ?? under.data?.status;
  const withoutStatus = live[pair.withoutPolicyRunId]?.status ?? without.data?.status;
  const settled = underStatus !== undefined && withoutStatus !== undefined && !isActive(underStatus) && !isActive(withoutStatus);
  // Read again whenever either run changes state, so a resumed run's new cells are counted.
  const cost = usePolicyCost(pair, `${underStatus}:${withoutStatus}`, settled);
  const waiting = offerRunWithout(underStatus, withoutStatus);
  const local = [under.data, without.data].every((r) => r?.runCard.models.every((m) => m.provider === 'local'));

  return (
    <section className="section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Data policy cost</h3>
      <p className="policy-cost-status field-hint" data-testid="policy-cost-status">
        This run is the one {runId === pair.withPolicyRunId ? 'under the data policy' : 'without the data policy'}; both are listed under Runs. Under the policy:{' '}
        <strong>{statusText(underStatus, live[pair.withPolicyRunId])}</strong> · Without the policy: <strong>{statusText(withoutStatus, live[pair.withoutPolicyRunId])}</strong>
      </p>
      {waiting && (
        <p>
          <Button size="sm" onClick={() => resume.mutate({ runId: pair.withoutPolicyRunId })} busy={resume.isPending}>
            Run without the policy now
          </Button>{' '}
          <span className="field-hint">It sends the suite's prompts to the remote models unredacted.</span>
        </p>
      )}
      {resume.error && <ErrorBanner title="Could not start the run without the policy" error={resume.error} />}
      {(under.error ?? without.error) && <ErrorBanner title="A run of this pair could not be read (deleted?)" error={under.error ?? without.error} />}
      {cost.error && <ErrorBanner title="Could not compare the two runs" error={cost.error} />}
      {!settled && !under.error && !without.error && <p className="field-hint">The pass rates side by side appear when both runs have stopped.</p>}
      {cost.data && <CostTable cost={cost.data} />}
      {local && <p className="field-hint">Every model in these runs is on this device, where the policy does not apply: both columns measure the same thing.</p>}
    </section>
  );
}

function CostTable({ cost }: { cost: PolicyCost }) {
  return (
    <>
      {!cost.sameSuite && <p className="field-hint">The two runs are of different suite versions: the rows compare different cases.</p>}
      <div className="evals-table-scroll">
        <table className="data-table" aria-label="Data policy cost">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Under the policy
              </th>
              <th scope="col" className="num">
                Without the policy
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col" className="num">
                Refused cells
              </th>
            </tr>
          </thead>
          <tbody>
            {cost.models.map((m) => (
              <tr key={m.modelId}>
                <th scope="row" className="mono">
                  {m.modelId}
                </th>
                <td className="num">{formatPercent(m.withPolicy)}</td>
                <td className="num">{formatPercent(m.withoutPolicy)}</td>
                <td className="num">{formatPoints(m.difference)}</td>
                {/* No case measured under the policy: no count to give, not a count of zero. */}
                <td className="num">{m.cases > 0 ? m.refusedCells : formatPercent(null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="field-hint">Pass rates over cases. Cells the policy refused got no answer and count as failures under the policy.</p>
    </>
  );
}
