import { describe, expect, it } from 'vitest';
import { metricsText } from '../../../src/renderer/chat/metricsText';
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
});
