import type { RunStartInput } from '../../../shared/contract/evals';
import type { DataPolicy } from '../../../shared/domain/dataPolicy';
import type { RunStatus, RunSummary } from '../../../shared/domain/evals';
import { policyCostRefusalOf } from '../../../shared/domain/policyCostRuns';
import { AppError } from '../../../shared/errors';
import { toSummary, type NewRun, type RunRepository, type StoredRun } from '../store/RunRepository';

/**
 * Where the run without the policy waits for the run under it: `pending` from its creation (kept
 * across a restart), `interrupted` when it had been started by hand and the app died. Never
 * `cancelled`: that is the user saying no to sending the data unredacted, which only their own
 * resume ("Run without the policy now") undoes.
 */
const WAITING: readonly RunStatus[] = ['pending', 'interrupted'];

export interface PolicyCostPairsOptions {
  runs: RunRepository;
  /** The data policy in force (throws when it does not load); without it no pair starts. */
  dataPolicy?: (() => DataPolicy) | undefined;
  /** Starts a stored run in the background. */
  launch: (runId: string) => void;
  /** True once the app is closing, when no run may start. */
  closing: () => boolean;
}

/**
 * The policy-cost pairs of evals.runs.startPolicyCost: a run under the data policy and the same run
 * without it, linked by `policyCostPair` in both cards. The chaining belongs to the pair (its cards),
 * not to the call that created it: the run without the policy starts whenever the one under it
 * completes, on its first start, on a resume after a cancel, or on a resume after a restart.
 */
export class PolicyCostPairs {
  readonly #o: PolicyCostPairsOptions;

  constructor(options: PolicyCostPairsOptions) {
    this.#o = options;
  }

  /** Refused before anything is stored when the policy allows no such run; both runs or neither are stored. */
  async start(raw: Omit<RunStartInput, 'dataPolicy'>, newRun: (input: RunStartInput) => Promise<NewRun>): Promise<{ withPolicy: RunSummary; withoutPolicy: RunSummary }> {
    const refusal = this.#o.dataPolicy ? policyCostRefusalOf(this.#o.dataPolicy) : 'This app has no data policy to measure.';
    if (refusal) throw new AppError('VALIDATION_FAILED', refusal, { field: 'dataPolicy' });
    const under = await newRun({ ...raw, dataPolicy: 'apply' });
    const without = await newRun({ ...raw, dataPolicy: 'off' });
    const pair = { withPolicyRunId: under.id, withoutPolicyRunId: without.id };
    const linked = (run: NewRun): NewRun => ({ ...run, runCard: { ...run.runCard, policyCostPair: pair } });
    this.#o.runs.createAll([linked(under), linked(without)]);
    this.#o.launch(under.id);
    return { withPolicy: toSummary(this.#o.runs.get(under.id)), withoutPolicy: toSummary(this.#o.runs.get(without.id)) };
  }

  /** Told every run's final state: a completed run under the policy starts its partner if that still waits. */
  finished(run: StoredRun): void {
    const pair = run.runCard.policyCostPair;
    if (run.status !== 'completed' || pair?.withPolicyRunId !== run.id || this.#o.closing()) return;
    // Check and start in one statement: a cancel stored a moment earlier wins; one arriving after
    // finds the run active (launch registers it before returning) and stops it.
    if (this.#o.runs.setStatusFrom(pair.withoutPolicyRunId, WAITING, 'running')) this.#o.launch(pair.withoutPolicyRunId);
  }
}
