import { emptyMetrics, type GenerationMetrics } from '../../../shared/domain/generation';
import { parseOrLocal as parseRef } from '../../../shared/domain/modelRef';
import { toErrorPayload } from '../../../shared/errors';

type MetricsError = NonNullable<GenerationMetrics['error']>;

/**
 * The stored error, with the provider's retry hint when it gave one: metrics are all the API sees
 * of a failed answer, and its Retry-After should be the provider's, not a guess.
 */
function errorOf(error: unknown): MetricsError {
  const payload = toErrorPayload(error);
  const details = payload.details;
  const seconds = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : typeof details?.retryAfterMs === 'number' ? details.retryAfterMs / 1000 : null;
  const hinted = seconds !== null && Number.isFinite(seconds) && seconds >= 0;
  return hinted ? { code: payload.code, message: payload.message, retryAfterSeconds: seconds } : { code: payload.code, message: payload.message };
}

/**
 * The one place that makes failed metrics. This one: a generation that threw before its first
 * delta (bad key, offline, unknown model), was stopped then, or ended without the provider's
 * record: what chat, compare, evals and GenerationService store in its place.
 */
export function failedMetrics(ref: string, error: unknown, options: { aborted: boolean; totalMs?: number }): GenerationMetrics {
  const { provider, model } = parseRef(ref);
  return {
    ...emptyMetrics(provider, model),
    totalMs: options.totalMs ?? 0,
    stopReason: options.aborted ? 'aborted' : 'error',
    error: options.aborted ? null : errorOf(error),
  };
}

/** The provider's record of a generation that then failed (a timeout after some text): its usage and timings are kept. */
export function withFailure(metrics: GenerationMetrics, error: unknown): GenerationMetrics {
  return { ...metrics, stopReason: 'error', error: errorOf(error) };
}
