import { SLOT_LABELS, type CompareSession, type CompareSummary, type SlotMetrics } from '../../../shared/contract/compare';
import type { GenerationMetrics, GenerationParams } from '../../../shared/domain/generation';
import { wantsStructure } from '../../../shared/domain/structured';
import { structuredChecks } from '../evals/toolCallChecks';
import type { StoredCompare } from '../store/CompareRepository';

/**
 * The only way stored comparisons leave main. While a blind session is unrevealed these views
 * drop everything that could name a model: ref, destination, cost, the provider fields of the
 * metrics, and error text (which often quotes the model id). Timing, speed and token counts go
 * too: a 5 ms first token or one tokenizer's count tells models apart as surely as a name.
 */

export function slotMetrics(metrics: GenerationMetrics, hidden: boolean, request?: { params: GenerationParams; text: string }): SlotMetrics {
  const calls = metrics.toolCalls?.map((c) => (hidden ? { ...c, id: null } : c));
  return {
    ...(calls ? { toolCalls: calls } : {}),
    ...(request && wantsStructure(request.params) ? { checks: structuredChecks({ output: request.text, params: request.params, toolCalls: metrics.toolCalls, expectedToolsMet: null }) } : {}),
    ttftMs: hidden ? null : metrics.ttftMs,
    promptTokens: hidden ? null : metrics.promptTokens,
    completionTokens: hidden ? null : metrics.completionTokens,
    decodeTokensPerSecond: hidden ? null : metrics.decodeTokensPerSecond,
    totalMs: hidden ? 0 : metrics.totalMs,
    stopReason: metrics.stopReason,
    usageEstimated: hidden ? false : metrics.usageEstimated,
    costUsd: hidden ? null : metrics.costUsd,
    error: metrics.error && hidden ? { code: metrics.error.code, message: 'This answer failed; the details name the model, so they are shown after the vote.' } : metrics.error,
  };
}

export function isHidden(stored: StoredCompare): boolean {
  return stored.session.blind && !stored.session.revealed;
}

export function toSessionView(stored: StoredCompare): CompareSession {
  const { session, slots, vote } = stored;
  const hidden = isHidden(stored);
  const running = slots.some((s) => s.status === 'streaming');
  return {
    id: session.id,
    createdAt: session.createdAt,
    prompt: session.prompt,
    systemPrompt: session.systemPrompt,
    params: session.params,
    blind: session.blind,
    revealed: !hidden,
    status: running ? 'running' : 'done',
    vote: vote ? { choice: vote.choice, createdAt: vote.createdAt } : null,
    // A blind session revealed without a vote can no longer be voted on blind.
    canVote: vote === null && !running && (!session.blind || hidden),
    slots: slots.map((s) => ({
      slot: s.slot,
      label: SLOT_LABELS[s.slot] ?? 'D',
      status: s.status,
      text: s.output,
      ref: hidden ? null : s.ref,
      destination: hidden ? null : { local: s.destinationLocal, host: s.destinationHost },
      metrics: s.metrics ? slotMetrics(s.metrics, hidden, { params: session.params, text: s.output }) : null,
      detail: hidden ? null : s.metrics,
    })),
  };
}

export function toSummary(stored: StoredCompare): CompareSummary {
  const hidden = isHidden(stored);
  return {
    id: stored.session.id,
    createdAt: stored.session.createdAt,
    prompt: stored.session.prompt.length > 300 ? `${stored.session.prompt.slice(0, 300)}…` : stored.session.prompt,
    blind: stored.session.blind,
    revealed: !hidden,
    voted: stored.vote !== null,
    slotCount: stored.slots.length,
    refs: hidden ? null : stored.slots.map((s) => s.ref),
  };
}
