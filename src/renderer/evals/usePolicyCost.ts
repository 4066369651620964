import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PolicyCostPair, RouteInput } from '../../shared/contract';
import { policyCostRefusal, policyLoadRefusal } from '../../shared/domain/policyCostRuns';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { usePolicy } from '../settings/policy/usePolicy';

/**
 * Why "measure the policy's cost" cannot be offered now (the same wording main refuses with), or
 * null when it can; undefined while the policy loads.
 */
export function usePolicyCostRefusal(): string | null | undefined {
  const policy = usePolicy();
  if (policy.error) return 'The data policy could not be read, so its cost cannot be measured.';
  if (!policy.data) return undefined;
  return policy.data.error ? policyLoadRefusal(policy.data.error) : policyCostRefusal(policy.data.policy);
}

/** Starts both runs of a pair; refreshes every evals query, as the other run mutations do. */
export function useStartPolicyCost() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RouteInput<'evals.runs.startPolicyCost'>) => call(client, 'evals.runs.startPolicyCost', input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['evals'] }),
  });
}

/** Pass rates side by side; `version` changes (the runs' statuses) read it again. */
export function usePolicyCost(pair: PolicyCostPair, version: string, enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'policyCost', pair.withPolicyRunId, pair.withoutPolicyRunId, version],
    queryFn: () => call(client, 'policy.evalCost', pair),
    enabled,
  });
}
