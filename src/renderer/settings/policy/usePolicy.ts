import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PolicyView } from '../../../shared/contract';
import { call } from '../../api/client';
import { useClient } from '../../api/ClientContext';

const POLICY_KEY = ['policy'] as const;
const REPORT_KEY = ['policy', 'report'] as const;

export function usePolicy() {
  const client = useClient();
  return useQuery({ queryKey: POLICY_KEY, queryFn: () => call(client, 'policy.get', {}) });
}

/** Saves the YAML; a policy with a problem is refused by main and the stored one stays. */
export function useSavePolicy() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (yaml: string) => call(client, 'policy.set', { yaml }),
    onSuccess: (view) => queryClient.setQueryData<PolicyView>(POLICY_KEY, view),
  });
}

export function usePolicyPreview() {
  const client = useClient();
  return useMutation({ mutationFn: (input: { ref: string; text: string; yaml?: string }) => call(client, 'policy.preview', input) });
}

/** The last `days` days, counted from the audit log. */
export function usePolicyReport(days: number) {
  const client = useClient();
  return useQuery({
    queryKey: [...REPORT_KEY, days],
    queryFn: () => call(client, 'policy.report', { since: new Date(Date.now() - days * 86_400_000).toISOString(), until: null }),
  });
}
