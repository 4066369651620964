import { describe, expect, it } from 'vitest';
import { slotMetrics, toSessionView, toSummary } from '../../src/main/core/compare/compareView';
import type { StoredCompare } from '../../src/main/core/store/CompareRepository';
import { emptyMetrics } from '../../src/shared/domain/generation';

const metrics = {
  ...emptyMetrics('openai', 'gpt-secret-model'),
  host: 'api.openai.com',
  ttftMs: 120,
  completionTokens: 42,
  decodeTokensPerSecond: 80,
  totalMs: 900,
  stopReason: 'error' as const,
  costUsd: 0.0042,
  requestId: 'req-123',
  error: { code: 'PROVIDER_STREAM_BROKEN', message: 'gpt-secret-model at api.openai.com broke midway' },
};

function stored(blind: boolean, revealed: boolean): StoredCompare {
  return {
    session: { id: 's1', createdAt: '2026-01-01T00:00:00Z', prompt: 'p', systemPrompt: null, params: {}, blind, revealed },
    slots: [
      { slot: 0, ref: 'openai:gpt-secret-model', requestedIndex: 1, destinationLocal: false, destinationHost: 'api.openai.com', status: 'error', output: 'partial', metrics },
      { slot: 1, ref: 'local:llama-hidden', requestedIndex: 0, destinationLocal: true, destinationHost: null, status: 'done', output: 'full', metrics: null },
    ],
    vote: null,
  };
}

describe('compare views', () => {
  it('hide cost, timing, speed, token counts and the error text (which names the model) while blind, and show them once revealed', () => {
    const hidden = slotMetrics(metrics, true);
    expect(hidden.costUsd).toBeNull();
    expect(hidden.error?.code).toBe('PROVIDER_STREAM_BROKEN');
    expect(JSON.stringify(hidden)).not.toMatch(/secret|openai|req-123/);
    // A fast first token or a tokenizer's count would tell the models apart before the vote.
    expect(hidden).toMatchObject({ ttftMs: null, promptTokens: null, completionTokens: null, decodeTokensPerSecond: null, totalMs: 0, usageEstimated: false });
    expect(slotMetrics(metrics, false)).toMatchObject({ costUsd: 0.0042, error: metrics.error, ttftMs: 120, completionTokens: 42, decodeTokensPerSecond: 80, totalMs: 900 });
  });

  it('a blind unrevealed session names no model anywhere in its view or summary', () => {
    const view = toSessionView(stored(true, false));
    const text = JSON.stringify([view, toSummary(stored(true, false))]);
    expect(text).not.toMatch(/secret|hidden|openai|api\.openai\.com|req-123|0\.0042/);
    expect(view).toMatchObject({ revealed: false, canVote: true, status: 'done' });
    expect(view.slots.map((s) => s.label)).toEqual(['A', 'B']);
  });

  it('a revealed session shows refs, destinations and full metrics; revealed without a vote it can no longer be voted on', () => {
    const view = toSessionView(stored(true, true));
    expect(view.slots.map((s) => s.ref)).toEqual(['openai:gpt-secret-model', 'local:llama-hidden']);
    expect(view.slots[0]!.destination).toEqual({ local: false, host: 'api.openai.com' });
    expect(view.slots[0]!.detail?.requestId).toBe('req-123');
    expect(view.canVote).toBe(false);
    expect(toSessionView(stored(false, true)).canVote).toBe(true);
    expect(toSummary(stored(true, true)).refs).toEqual(['openai:gpt-secret-model', 'local:llama-hidden']);
  });
});
