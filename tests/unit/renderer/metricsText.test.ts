import { describe, expect, it } from 'vitest';
import { failureText, metricsText } from '../../../src/renderer/chat/metricsText';
import { emptyMetrics } from '../../../src/shared/domain/generation';

describe('metricsText', () => {
  it('shows the evaluated prompt with the cached part apart, dropped turns and a shifted context', () => {
    const text = metricsText({
      ...emptyMetrics('local', 'x'),
      promptTokens: 12,
      promptTokensCached: 3542,
      promptTokensPerSecond: 2400,
      droppedMessages: 2,
      contextShifted: true,
    });
    expect(text).toContain('prompt 12 tokens (+3542 cached) at 2400 tok/s');
    expect(text).toContain('2 oldest messages left out to fit the context');
    expect(text).toContain('context shifted');
  });

  it('says nothing of either on metrics saved before they were recorded', () => {
    const text = metricsText({ ...emptyMetrics('local', 'x'), promptTokens: 12, promptTokensPerSecond: 2400 });
    expect(text).toContain('prompt 12 tokens at 2400 tok/s');
    expect(text).not.toMatch(/cached|left out|shifted/);
  });

  it("a failed answer says how long the provider asked to wait, and nothing of it without a hint", () => {
    expect(failureText({ code: 'PROVIDER_RATE_LIMITED', message: 'openai is rate-limiting requests.', retryAfterSeconds: 7 })).toBe(
      'openai is rate-limiting requests. (the provider asks to wait 7 s before retrying)',
    );
    expect(failureText({ code: 'PROVIDER_AUTH', message: 'The key was rejected.' })).toBe('The key was rejected.');
  });
});
