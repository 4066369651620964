import { describe, expect, it } from 'vitest';
import { usageOf } from '../../src/main/ipc/openai/chatCompletions';
import { emptyMetrics } from '../../src/shared/domain/generation';

describe('OpenAI usage from our metrics', () => {
  it('counts the whole prompt in prompt_tokens, including what a local model reused from its cache', () => {
    const metrics = { ...emptyMetrics('local', 'm'), promptTokens: 1, promptTokensCached: 58, completionTokens: 6 };
    expect(usageOf(metrics)).toEqual({ prompt_tokens: 59, completion_tokens: 6, total_tokens: 65 });
  });

  it('takes a remote provider prompt count as it is', () => {
    expect(usageOf({ ...emptyMetrics('openai', 'm'), promptTokens: 12, completionTokens: 4 })).toEqual({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
  });
});
