import { useQuery } from '@tanstack/react-query';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';

export interface ModelChoice {
  ref: string;
  name: string;
  provider: string;
  local: boolean;
  host: string | null;
}

/** Every provider's models through `providers.models`; the local library alone if that fails. */
export function useModelChoices() {
  const client = useClient();
  return useQuery({
    queryKey: ['chat', 'modelChoices'],
    queryFn: async (): Promise<ModelChoice[]> => {
      try {
        const { models } = await call(client, 'providers.models', { refresh: false });
        if (models.length > 0) return models.map((m) => ({ ref: m.ref, name: m.name, provider: m.provider, local: m.local, host: m.host }));
      } catch {
        // Fall through to the local library: chat with local models must work on its own.
      }
      const local = await call(client, 'models.list', {});
      return local.map((m) => ({ ref: `local:${m.id}`, name: m.name, provider: 'local', local: true, host: null }));
    },
  });
}
