import { policyNoteText } from '../../shared/domain/dataPolicy';
import type { GenerationMetrics } from '../../shared/domain/generation';
import { routeRef } from '../../shared/domain/modelRef';

/** "route:analyst → anthropic:claude-… after openai:gpt-… failed (PROVIDER_RATE_LIMITED)": which model answered and why. */
export function routeText(route: NonNullable<GenerationMetrics['route']>): string {
  const before = route.steps
    .filter((s) => s.outcome !== 'answered')
    .map((s) => `${s.ref} ${s.outcome} (${s.outcome === 'failed' ? failureCode(s.reason) : s.reason})`);
  return `${routeRef(route.name)} → ${route.answeredBy ?? 'no model'}${before.length ? ` after ${before.join(', ')}` : ''}`;
}

/** A failed step's reason is `CODE: message`; the line shows only the code. */
function failureCode(reason: string | null): string {
  return reason?.match(/^[A-Z_]+/)?.[0] ?? reason ?? '';
}

/** A failed answer's reason, with the provider's own wait when it rate-limited us (so "try again" has a when). */
export function failureText(error: NonNullable<GenerationMetrics['error']>): string {
  if (error.retryAfterSeconds === undefined) return error.message;
  return `${error.message} (the provider asks to wait ${Math.ceil(error.retryAfterSeconds)} s before retrying)`;
}

function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

/** The metrics line under an answer: "TTFT 12 ms · 431 tok/s · 64 tokens · eos · cpu · 2 threads …". */
export function metricsText(m: GenerationMetrics): string {
  const parts: string[] = [];
  if (m.route) parts.push(routeText(m.route));
  if (m.policy) parts.push(policyNoteText(m.policy));
  if (m.loadMs) parts.push(`load ${ms(m.loadMs)}`);
  if (m.ttftMs !== null) parts.push(`TTFT ${ms(m.ttftMs)}`);
  if (m.decodeTokensPerSecond !== null) parts.push(`${Math.round(m.decodeTokensPerSecond)} tok/s`);
  if (m.completionTokens !== null) parts.push(`${m.completionTokens} tokens`);
  if (m.promptTokens !== null) {
    const cached = m.promptTokensCached ? ` (+${m.promptTokensCached} cached)` : '';
    parts.push(`prompt ${m.promptTokens} tokens${cached}${m.promptTokensPerSecond !== null ? ` at ${Math.round(m.promptTokensPerSecond)} tok/s` : m.provider === 'local' ? ' (cached)' : ''}`);
  }
  if (m.droppedMessages) parts.push(`${m.droppedMessages} oldest ${m.droppedMessages === 1 ? 'message' : 'messages'} left out to fit the context`);
  if (m.contextShifted) parts.push('context shifted');
  parts.push(`total ${ms(m.totalMs)}`);
  parts.push(m.stopReason);
  if (m.backend) parts.push(m.backend);
  if (m.threads !== null) parts.push(`${m.threads} ${m.threads === 1 ? 'thread' : 'threads'}`);
  if (m.gpuLayers !== null && m.gpuLayers > 0) parts.push(`${m.gpuLayers} GPU layers`);
  if (m.costUsd !== null && m.costUsd > 0) parts.push(`$${m.costUsd.toFixed(4)}`);
  if (m.modelSha256) parts.push(`sha256 ${m.modelSha256.slice(0, 12)}`);
  return parts.join(' · ');
}
