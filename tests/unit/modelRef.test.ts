import { describe, expect, it } from 'vitest';
import * as modelRef from '../../src/shared/domain/modelRef';

describe('modelRef', () => {
  it('parses and formats every kind of ref', () => {
    expect(modelRef.parse('openai:gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(modelRef.parse('local:/models/a:b.gguf')).toEqual({ provider: 'local', model: '/models/a:b.gguf' });
    expect(modelRef.parse('compat:ollama/library/llama3:8b')).toEqual({ provider: 'compat', model: 'ollama/library/llama3:8b' });
    expect(modelRef.parse('no-prefix')).toEqual({ provider: '', model: 'no-prefix' });
    expect(modelRef.format('anthropic', 'claude')).toBe('anthropic:claude');
  });

  it('knows local refs and their ids', () => {
    expect(modelRef.isLocal('local:abc')).toBe(true);
    expect(modelRef.isLocal('openai:local:abc')).toBe(false);
    expect(modelRef.localId('local:abc')).toBe('abc');
    expect(modelRef.localId('abc')).toBe('abc');
    expect(modelRef.localRef('/m/x.gguf')).toBe('local:/m/x.gguf');
  });

  it('splits compat refs at the first slash only', () => {
    expect(modelRef.compatParts('compat:together/meta-llama/Llama-3-8b')).toEqual({ endpoint: 'together', model: 'meta-llama/Llama-3-8b' });
    expect(modelRef.compatParts('compat:noslash')).toBeNull();
    expect(modelRef.compatParts('compat:/x')).toBeNull();
    expect(modelRef.compatParts('openai:gpt')).toBeNull();
    expect(modelRef.compatRef('vllm', 'a/b')).toBe('compat:vllm/a/b');
  });

  it('gives each compat endpoint its own key and every other provider its name', () => {
    expect(modelRef.endpointKey('compat:ollama/llama3')).toBe('compat:ollama');
    expect(modelRef.endpointKey('openai:gpt-4o')).toBe('openai');
    expect(modelRef.endpointKey('local:abc')).toBe('local');
    expect(modelRef.providerOfEndpointKey('compat:ollama')).toBe('compat');
    expect(modelRef.providerOfEndpointKey('openai')).toBe('openai');
  });
});
