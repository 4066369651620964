import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKey, ApiRequestEntry, ApiStatus } from '../../../shared/contract';
import { call } from '../../api/client';
import { useClient, useParityEvent } from '../../api/ClientContext';

const STATUS_KEY = ['api', 'status'] as const;
const KEYS_KEY = ['api', 'keys'] as const;
const REQUESTS_KEY = ['api', 'requests'] as const;
/** The server keeps this many; the page shows the same window. */
const MAX_REQUESTS = 200;

/** Where the API answers; kept current by `api.status` events (port turned on/off, moved). */
export function useApiStatus() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('api.status', (status) => queryClient.setQueryData<ApiStatus>(STATUS_KEY, status));
  return useQuery({ queryKey: STATUS_KEY, queryFn: () => call(client, 'api.status', {}) });
}

export function useApiKeys() {
  const client = useClient();
  return useQuery({ queryKey: KEYS_KEY, queryFn: async () => (await call(client, 'api.keys.list', {})).keys });
}

export function useCreateApiKey() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => call(client, 'api.keys.create', { name }),
    // The list never holds the full key: only the mutation's own result does, for the one showing.
    onSuccess: ({ key: _key, ...created }) => queryClient.setQueryData<ApiKey[]>(KEYS_KEY, (old) => [created, ...(old ?? [])]),
  });
}

export function useRevokeApiKey() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(client, 'api.keys.revoke', { id }),
    onSuccess: (revoked) => queryClient.setQueryData<ApiKey[]>(KEYS_KEY, (old) => old?.map((k) => (k.id === revoked.id ? revoked : k))),
  });
}

/** The live log: loaded once, then each `api.request` event is put in front (no refetch). */
export function useApiRequests() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('api.request', (entry) => {
    queryClient.setQueryData<ApiRequestEntry[]>(REQUESTS_KEY, (old) => (old ? [entry, ...old.filter((e) => e.id !== entry.id)].slice(0, MAX_REQUESTS) : old));
    // The key list's "last used" follows from the same event, without a refetch.
    if (entry.keyId) queryClient.setQueryData<ApiKey[]>(KEYS_KEY, (old) => old?.map((k) => (k.id === entry.keyId ? { ...k, lastUsedAt: entry.time } : k)));
  });
  return useQuery({ queryKey: REQUESTS_KEY, queryFn: async () => (await call(client, 'api.requests.list', {})).requests });
}

/** A model to put in the snippets: the first local one, else any, else a placeholder. */
export function useSnippetModel(): string {
  const client = useClient();
  const models = useQuery({ queryKey: ['api', 'snippet-model'], queryFn: () => call(client, 'providers.models', { refresh: false }), staleTime: 60_000 });
  const list = models.data?.models ?? [];
  return list.find((m) => m.local)?.ref ?? list[0]?.ref ?? 'local:<model id>';
}
