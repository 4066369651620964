import { describe, expect, it } from 'vitest';
import type { Model, ProviderModel, ProviderStatus } from '../../../src/shared/contract';
import { groupPickerModels, localDefaults, pickerLabel } from '../../../src/renderer/models/pickerGroups';

const remote = (ref: string, provider: string): ProviderModel => ({ ref, name: ref.split(':')[1]!, provider, local: false, contextLength: null, host: 'api.example.com' });
const localModel = (id: string, name: string): ProviderModel => ({ ref: `local:${id}`, name, provider: 'local', local: true, contextLength: 2048, host: null });

function provider(id: string, kind: ProviderStatus['kind'], keySet: boolean, enabled = true): ProviderStatus {
  return { id, label: id, kind, enabled, key: { keySet, last4: null, source: keySet ? 'env' : null }, baseUrl: null, host: null, keyEnv: null, models: [], source: 'builtin' };
}

function libraryModel(id: string, name: string, quantization: string | null): Model {
  return { id, name, quantization } as Model;
}

// The order providers.models answers in today: cloud catalogues before the library.
const MODELS = [remote('openai:gpt-4o-mini', 'openai'), remote('openai:gpt-4o', 'openai'), remote('anthropic:claude-haiku-4-5', 'anthropic'), remote('compat:lab/llama3', 'compat:lab'), localModel('abc123', 'stories260K'), localModel('def456', 'tiny')];
const PROVIDERS = [provider('local', 'local', false), provider('openai', 'cloud', false), provider('anthropic', 'cloud', true), provider('compat:lab', 'compat', false)];
const LIBRARY = [libraryModel('abc123', 'stories260K', 'Q8_0'), libraryModel('def456', 'tiny', null)];

describe('groupPickerModels', () => {
  it('lists local models first, then remote ones with a key (or a keyless endpoint), then the rest under "no key set"', () => {
    const groups = groupPickerModels(MODELS, PROVIDERS, LIBRARY);
    expect(groups.map((g) => [g.id, g.models.map((m) => m.ref)])).toEqual([
      ['local', ['local:abc123', 'local:def456']],
      ['ready', ['anthropic:claude-haiku-4-5', 'compat:lab/llama3']],
      ['no-key', ['openai:gpt-4o-mini', 'openai:gpt-4o']],
    ]);
    expect(groups[2]!.label).toMatch(/no key set/i);
  });

  it('puts a disabled provider under "no key set" even with a key', () => {
    const groups = groupPickerModels(MODELS, [provider('anthropic', 'cloud', true, false)], []);
    expect(groups.find((g) => g.id === 'ready')).toBeUndefined();
  });

  it('shows name, quantisation and the local:<id> the CLI takes for local models', () => {
    const [local] = groupPickerModels(MODELS, PROVIDERS, LIBRARY);
    expect(local!.models[0]).toMatchObject({ localId: 'abc123', quantization: 'Q8_0' });
    expect(pickerLabel(local!.models[0]!)).toBe('stories260K · Q8_0 · local:abc123');
    expect(pickerLabel(local!.models[1]!)).toBe('tiny · local:def456');
  });

  it('falls back to the library for local models when providers.models gave nothing', () => {
    const groups = groupPickerModels([], [], LIBRARY);
    expect(groups.map((g) => g.id)).toEqual(['local']);
    expect(groups[0]!.models.map((m) => m.ref)).toEqual(['local:abc123', 'local:def456']);
  });
});

describe('localDefaults', () => {
  it('never takes a remote model as a default, even one with a key', () => {
    const groups = groupPickerModels(MODELS.filter((m) => !m.local), PROVIDERS, []);
    expect(localDefaults(groups, 2)).toEqual(['', '']);
  });

  it('takes distinct local models and leaves the rest empty', () => {
    const groups = groupPickerModels(MODELS, PROVIDERS, LIBRARY.slice(0, 1));
    expect(localDefaults(groups, 3)).toEqual(['local:abc123', 'local:def456', '']);
  });
});
