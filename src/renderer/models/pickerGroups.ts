import type { Model, ProviderModel, ProviderStatus } from '../../shared/contract';
import { isLocal, isRoute, localId as localIdOf, localRef } from '../../shared/domain/modelRef';

/** What every model picker (chat, compare, evals) offers for one model. */
export interface PickerModel {
  ref: string;
  name: string;
  provider: string;
  /** True when prompts to it stay on this device. */
  local: boolean;
  /** Where prompts go when not local (null when unknown or local). */
  host: string | null;
  /** Library facts for local models: quantisation and the id the CLI takes. */
  quantization: string | null;
  localId: string | null;
  group: PickerGroupId;
}

export type PickerGroupId = 'local' | 'ready' | 'no-key';

export interface PickerGroup {
  id: PickerGroupId;
  label: string;
  models: PickerModel[];
}

export const PICKER_GROUP_LABELS: Record<PickerGroupId, string> = {
  local: 'On this device',
  ready: 'Remote (key set)',
  'no-key': 'Remote, no key set',
};

const ORDER: PickerGroupId[] = ['local', 'ready', 'no-key'];

/**
 * Local models first, then remote models that can actually be used (key set, or an
 * OpenAI-compatible endpoint, which may need none), then the rest: a remote model without a key is
 * listed so users know it exists, but never where a default is taken from.
 */
export function groupPickerModels(models: ProviderModel[], providers: ProviderStatus[], library: Model[]): PickerGroup[] {
  const byProvider = new Map(providers.map((p) => [p.id, p]));
  const byLocalId = new Map(library.map((m) => [m.id, m]));
  const seen = new Set<string>();
  const all: PickerModel[] = [];
  const add = (m: Omit<PickerModel, 'group' | 'quantization' | 'localId'>): void => {
    if (seen.has(m.ref)) return;
    seen.add(m.ref);
    if (m.local) {
      const localId = isLocal(m.ref) ? localIdOf(m.ref) : null;
      const entry = localId ? byLocalId.get(localId) : undefined;
      all.push({ ...m, name: entry?.name ?? m.name, quantization: entry?.quantization ?? null, localId, group: 'local' });
      return;
    }
    const status = byProvider.get(m.provider);
    // A data-policy route has no key of its own: each of its steps is checked when it runs.
    const usable = isRoute(m.ref) || (status ? status.enabled && (status.key.keySet || status.kind === 'compat') : false);
    all.push({ ...m, quantization: null, localId: null, group: usable ? 'ready' : 'no-key' });
  };
  for (const m of models) add({ ref: m.ref, name: m.name, provider: m.provider, local: m.local, host: m.host });
  // The library stands in for (or completes) the local part when providers.models could not answer.
  for (const m of library) add({ ref: localRef(m.id), name: m.name, provider: 'local', local: true, host: null });
  return ORDER.map((id) => ({ id, label: PICKER_GROUP_LABELS[id], models: all.filter((m) => m.group === id) })).filter((g) => g.models.length > 0);
}

/** "stories260K · Q8_0 · local:abc123" — what a local option shows so the CLI id can be found. */
export function pickerLabel(m: PickerModel): string {
  if (!m.local) return m.name === m.ref ? m.ref : `${m.name} · ${m.ref}`;
  return [m.name, m.quantization, m.ref].filter(Boolean).join(' · ');
}

/**
 * Defaults may only come from this device: the first `count` distinct local models, and empty
 * fields (which the form refuses) where there are not enough of them.
 */
export function localDefaults(groups: PickerGroup[], count: number): string[] {
  const local = groups.find((g) => g.id === 'local')?.models ?? [];
  return Array.from({ length: count }, (_, i) => local[i]?.ref ?? '');
}
