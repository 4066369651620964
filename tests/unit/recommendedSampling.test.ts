import { describe, expect, it } from 'vitest';
import { recommendedSamplingOf } from '../../src/main/core/providers/local/recommendedSampling';
import { chatFillSampling, chatParams, mergeParams } from '../../src/shared/domain/generationDefaults';

describe("a GGUF's recommended sampling", () => {
  it('reads general.sampling.* nested or flat, ignores what is out of range, and is null when absent', () => {
    expect(recommendedSamplingOf({ sampling: { temp: 0.6, top_p: 0.95, top_k: 20, min_p: 0 } })).toEqual({ temperature: 0.6, topP: 0.95, topK: 20, minP: 0 });
    expect(recommendedSamplingOf({ 'sampling.temp': 1, 'sampling.penalty_repeat': 1.1 })).toEqual({ temperature: 1, repeatPenalty: 1.1 });
    expect(recommendedSamplingOf({ sampling: { temp: 9, top_p: 0.9 } })).toEqual({ topP: 0.9 });
    expect(recommendedSamplingOf({ name: 'stories', architecture: 'llama' })).toBeNull();
    expect(recommendedSamplingOf(undefined)).toBeNull();
  });
});

describe('chat defaults', () => {
  it('fill only what the conversation leaves unset; an undefined value is unset, not an override', () => {
    expect(chatParams({})).toEqual({ maxTokens: 1024 });
    expect(chatParams({ maxTokens: 64, temperature: undefined })).toEqual({ maxTokens: 64 });
    expect(chatFillSampling(123)).toEqual({ temperature: 0.7, seed: 123 });
    expect(mergeParams(chatFillSampling(5), { temperature: 0.2 }, { seed: undefined, topK: 3 })).toEqual({ temperature: 0.2, seed: 5, topK: 3 });
  });
});
