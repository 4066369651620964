import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SettingEntry, SettingKey, SettingValue, SettingsValues } from '../../shared/contract';
import { call } from '../api/client';
import { useClient, useParityEvent } from '../api/ClientContext';

/** One cache entry for all settings; every reader (shell, settings page, features) shares it. */
export const SETTINGS_QUERY_KEY = ['settings'] as const;

export function useSettings() {
  const client = useClient();
  return useQuery({
    queryKey: SETTINGS_QUERY_KEY,
    // The router validated every value against its key's schema on the way out.
    queryFn: async () => (await call(client, 'settings.getAll', {})) as SettingsValues,
  });
}

/** One setting's current value, or undefined while loading. */
export function useSetting<K extends SettingKey>(key: K): SettingValue<K> | undefined {
  return useSettings().data?.[key];
}

/**
 * Keeps the cache in step with changes made elsewhere (another window, the CLI, a second
 * browser tab). Mount once, in the app shell.
 */
export function useSettingsSync(): void {
  const queryClient = useQueryClient();
  useParityEvent('settings.changed', ({ key, value }) => {
    queryClient.setQueryData<SettingsValues>(SETTINGS_QUERY_KEY, (old) => (old ? { ...old, [key]: value } : old));
  });
}

export interface SetSettingOptions {
  /** Show the new value before the router confirms it (default true); rolled back on error. */
  optimistic?: boolean;
}

/** Saves one setting. A rejection's actionable message is in `mutation.error`. */
export function useSetSetting<K extends SettingKey>(key: K, { optimistic = true }: SetSettingOptions = {}) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (value: SettingValue<K>) => call(client, 'settings.set', { key, value }),
    onMutate: async (value: SettingValue<K>) => {
      if (!optimistic) return { previous: undefined };
      await queryClient.cancelQueries({ queryKey: SETTINGS_QUERY_KEY });
      const previous = queryClient.getQueryData<SettingsValues>(SETTINGS_QUERY_KEY);
      if (previous) queryClient.setQueryData<SettingsValues>(SETTINGS_QUERY_KEY, { ...previous, [key]: value });
      return { previous };
    },
    onError: (_error, _value, context) => {
      if (context?.previous) queryClient.setQueryData(SETTINGS_QUERY_KEY, context.previous);
    },
    onSuccess: (entry: SettingEntry) => {
      queryClient.setQueryData<SettingsValues>(SETTINGS_QUERY_KEY, (old) => (old ? { ...old, [entry.key]: entry.value } : old));
    },
  });
}
