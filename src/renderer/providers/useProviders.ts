import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouteInput } from '../../shared/contract';
import { call } from '../api/client';
import { useClient, useParityEvent } from '../api/ClientContext';

export const PROVIDERS_QUERY_KEY = ['providers'] as const;
export const PROVIDER_MODELS_QUERY_KEY = ['providers', 'models'] as const;

export function useProvidersList() {
  const client = useClient();
  const queryClient = useQueryClient();
  // The Offline switch is shown on each provider card; keep it current.
  useParityEvent('settings.changed', ({ key }) => {
    if (key === 'offline') void queryClient.invalidateQueries({ queryKey: PROVIDERS_QUERY_KEY });
  });
  return useQuery({ queryKey: PROVIDERS_QUERY_KEY, queryFn: () => call(client, 'providers.list', {}) });
}

/** One mutation per providers route; every success refreshes the list and the model pickers. */
export function useProviderMutation<K extends 'providers.setKey' | 'providers.clearKey' | 'providers.setEnabled' | 'providers.addEndpoint' | 'providers.removeEndpoint'>(route: K) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RouteInput<K>) => call(client, route, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: PROVIDERS_QUERY_KEY }),
  });
}
