import { useQuery } from '@tanstack/react-query';
import type { RouteName } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { useClient } from '../api/ClientContext';
import { call, type ParityClient } from '../api/client';

/** A model the pickers offer: its full ref (`local:<id>`, `openai:gpt-4o-mini`) and a display name. */
export interface ModelOption {
  ref: string;
  name: string;
  /** True when prompts to it stay on this device. */
  local: boolean;
  /** Where prompts go when not local (null when unknown or local). */
  host: string | null;
}

function readOption(item: unknown): ModelOption | null {
  if (!item || typeof item !== 'object') return null;
  const o = item as Record<string, unknown>;
  if (typeof o.ref !== 'string') return null;
  const name = typeof o.name === 'string' ? o.name : typeof o.label === 'string' ? o.label : o.ref;
  const local = typeof o.local === 'boolean' ? o.local : o.ref.startsWith('local:');
  return { ref: o.ref, name, local, host: typeof o.host === 'string' ? o.host : null };
}

/**
 * `providers.models` lists every provider's models, local included, once the providers feature is
 * in; until then (or when the route is missing) the local library stands in. The route is called
 * by name so this page does not depend on that contract's exact shape.
 */
async function loadOptions(client: ParityClient): Promise<ModelOption[]> {
  const result = await client.request('providers.models' as RouteName, {} as never);
  if (result.ok) {
    const data = result.data as unknown;
    const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { models?: unknown }).models) ? (data as { models: unknown[] }).models : [];
    const options = items.map(readOption).filter((o): o is ModelOption => o !== null);
    if (options.length > 0) return options;
  } else if (result.error.code !== 'UNKNOWN_ROUTE') {
    throw new AppError(result.error.code, result.error.message, result.error.details);
  }
  const models = await call(client, 'models.list', {});
  return models.map((m) => ({ ref: `local:${m.id}`, name: m.name, local: true, host: null }));
}

export function useModelOptions() {
  const client = useClient();
  return useQuery({ queryKey: ['compare', 'model-options'], queryFn: () => loadOptions(client), staleTime: 10_000 });
}
