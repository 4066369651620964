import type { PolicyCost } from '../../../shared/contract/policy';
import type { RunResults } from '../../../shared/domain/evals';
import { AppError } from '../../../shared/errors';

/**
 * Side by side, per model, the pass rate of a run under the data policy and of the same suite run
 * without it: what keeping the data local costs in quality. Cells the policy refused count as
 * failures in the run under it (the user would have got no answer) and are counted separately.
 */
export function policyCost(withPolicy: RunResults, withoutPolicy: RunResults, cards: { with: 'apply' | 'off'; without: 'apply' | 'off' }): PolicyCost {
  if (cards.with === 'off') throw new AppError('VALIDATION_FAILED', `Run ${withPolicy.run.id} ran without the data policy; give it as withoutPolicyRunId.`, { runId: withPolicy.run.id });
  if (cards.without !== 'off') {
    throw new AppError('VALIDATION_FAILED', `Run ${withoutPolicy.run.id} ran under the data policy; start the comparison run with dataPolicy: off.`, { runId: withoutPolicy.run.id });
  }
  const ids = [...new Set([...withPolicy.models, ...withoutPolicy.models])];
  const rate = (r: RunResults, id: string): number | null => r.scorecards.find((s) => s.modelId === id)?.passRate ?? null;
  return {
    withPolicyRunId: withPolicy.run.id,
    withoutPolicyRunId: withoutPolicy.run.id,
    sameSuite: withPolicy.run.suiteId === withoutPolicy.run.suiteId && withPolicy.run.suiteVersion === withoutPolicy.run.suiteVersion,
    models: ids.map((modelId) => {
      const a = rate(withPolicy, modelId);
      const b = rate(withoutPolicy, modelId);
      return {
        modelId,
        withPolicy: a,
        withoutPolicy: b,
        difference: a !== null && b !== null ? a - b : null,
        refusedCells: withPolicy.cells.filter((c) => c.modelId === modelId && c.error?.code === 'POLICY_BLOCKED').length,
        cases: withPolicy.scorecards.find((s) => s.modelId === modelId)?.cases ?? 0,
      };
    }),
  };
}
