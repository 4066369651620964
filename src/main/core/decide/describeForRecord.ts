import * as modelRef from '../../../shared/domain/modelRef';
import type { ModelLibrary } from '../models/ModelLibrary';
import type { ProviderRegistry } from '../providers/ProviderRegistry';
import type { ModelFactsForRecord } from './DecideService';

/** Licence from the library (local) and destination host from the provider (remote), for the record. */
export function describeForRecord(deps: { models: Pick<ModelLibrary, 'resolve' | 'get'>; providers: Pick<ProviderRegistry, 'resolve'> }) {
  return async (ref: string): Promise<ModelFactsForRecord> => {
    if (modelRef.isLocal(ref)) {
      const model = await deps.models.get((await deps.models.resolve(ref)).id);
      return { licence: model.licence.id ?? model.licence.name ?? 'not stated in the file', dataGoesTo: 'on this device' };
    }
    const { provider, model } = deps.providers.resolve(ref);
    return { licence: 'provider terms', dataGoesTo: provider.destination(model) ?? 'unknown host' };
  };
}
