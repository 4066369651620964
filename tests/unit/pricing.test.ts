import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalizeMetrics } from '../../src/main/core/generation/finalizeMetrics';
import { retryDelayMs, DEFAULT_RETRY_POLICY } from '../../src/main/core/generation/retryPolicy';
import { PRICES_AS_OF } from '../../src/main/core/pricing/defaultPrices';
import { PriceTable } from '../../src/main/core/pricing/PriceTable';
import { retryAfterMs } from '../../src/main/core/providers/base/providerErrors';
import { ProviderRepository } from '../../src/main/core/store/ProviderRepository';
import { Store } from '../../src/main/core/store/Store';
import { emptyMetrics } from '../../src/shared/domain/generation';
import { AppError } from '../../src/shared/errors';
import { tempDir } from '../helpers/tmp';

function withPrices(fn: (prices: PriceTable) => void): void {
  using dir = tempDir();
  const store = Store.open({ path: join(dir.path, 'p.db') });
  try {
    fn(new PriceTable(new ProviderRepository(store)));
  } finally {
    store.dispose();
  }
}

describe('price table and cost', () => {
  it('ships dated defaults and prices input, cached input and output per 1M tokens', () => {
    withPrices((prices) => {
      expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(prices.lookup('openai:gpt-4o-mini')).toMatchObject({ inputPerMTok: 0.15, outputPerMTok: 0.6, source: 'default' });
      // 1M prompt tokens of which 400k cached, 500k output.
      const cost = prices.cost('openai:gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 500_000, cachedPromptTokens: 400_000 });
      expect(cost).toBeCloseTo(0.6 * 0.15 + 0.4 * 0.075 + 0.5 * 0.6, 10);
      expect(prices.lookup('anthropic:claude-sonnet-4-5-20250929')?.ref).toBe('anthropic:claude-sonnet-4-5');
    });
  });

  it('an unknown model costs null, never 0', () => {
    withPrices((prices) => {
      expect(prices.cost('compat:groq/some-model', { promptTokens: 10, completionTokens: 10 })).toBeNull();
      expect(prices.cost('openai:gpt-4o-mini', { promptTokens: null, completionTokens: 10 })).toBeNull();
    });
  });

  it('user overrides win and can be reset', () => {
    withPrices((prices) => {
      prices.set('openai:gpt-4o-mini', { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: null });
      prices.set('compat:groq/llama', { inputPerMTok: 0.05, outputPerMTok: 0.08, cachedInputPerMTok: null });
      expect(prices.cost('openai:gpt-4o-mini', { promptTokens: 1e6, completionTokens: 1e6 })).toBe(3);
      expect(prices.cost('compat:groq/llama', { promptTokens: 1e6, completionTokens: 0 })).toBeCloseTo(0.05);
      prices.reset('openai:gpt-4o-mini');
      expect(prices.lookup('openai:gpt-4o-mini')?.source).toBe('default');
    });
  });

  it('local models cost 0 unless an hourly rate is set', () => {
    const base = { ...emptyMetrics('local', 'abc'), totalMs: 1_800_000, promptTokens: 5, completionTokens: 5 };
    const input = { ref: 'local:abc', local: true, host: null, messages: [], text: 'x', metrics: base, retries: 0, fallbackFrom: null };
    expect(finalizeMetrics({ ...input, localHourlyRateUsd: 0 }).costUsd).toBe(0);
    expect(finalizeMetrics({ ...input, localHourlyRateUsd: 2 }).costUsd).toBeCloseTo(1);
  });
});

describe('retry timing', () => {
  it('parses Retry-After seconds, dates and retry-after-ms', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs({ 'retry-after': '3' })).toBe(3000);
    expect(retryAfterMs({ 'Retry-After': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(retryAfterMs({})).toBeNull();
  });

  it('backs off exponentially with jitter, and Retry-After wins', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 10_000 };
    const err = new AppError('PROVIDER_UNAVAILABLE', 'x');
    expect(retryDelayMs(err, 0, policy, () => 0)).toBe(50);
    expect(retryDelayMs(err, 3, policy, () => 1)).toBe(800);
    expect(retryDelayMs(err, 20, policy, () => 1)).toBe(10_000);
    expect(retryDelayMs(new AppError('PROVIDER_RATE_LIMITED', 'x', { retryAfterMs: 1234 }), 0, policy, () => 0)).toBe(1234);
  });
});
