import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProviderModel, ProviderStatus } from '../../shared/contract';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';
import { groupPickerModels, type PickerGroup, type PickerModel } from './pickerGroups';

export const PICKER_MODELS_KEY = ['providers', 'pickers'] as const;

export interface PickerModels {
  groups: PickerGroup[];
  /** Every model in group order (local first). */
  all: PickerModel[];
}

/**
 * The models every picker offers, grouped. The library always answers for local models; a failing
 * `providers.models` or `providers.list` only costs the remote groups, so local chat keeps working.
 */
export function usePickerModels() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('models.changed', () => void queryClient.invalidateQueries({ queryKey: PICKER_MODELS_KEY }));
  return useQuery({
    // Under ['providers']: a key set or cleared in Settings refreshes the pickers too.
    queryKey: PICKER_MODELS_KEY,
    staleTime: 10_000,
    queryFn: async (): Promise<PickerModels> => {
      const [models, providers, library] = await Promise.all([
        call(client, 'providers.models', { refresh: false }).then((r) => r.models, (): ProviderModel[] => []),
        call(client, 'providers.list', {}).then((r) => r.providers, (): ProviderStatus[] => []),
        call(client, 'models.list', {}),
      ]);
      const groups = groupPickerModels(models, providers, library);
      return { groups, all: groups.flatMap((g) => g.models) };
    },
  });
}
