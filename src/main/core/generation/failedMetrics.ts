import { emptyMetrics, type GenerationMetrics } from '../../../shared/domain/generation';
import { parseOrLocal as parseRef } from '../../../shared/domain/modelRef';
import { toErrorPayload } from '../../../shared/errors';

/**
 * The one place that makes failed metrics. This one: a generation that threw before its first
 * delta (bad key, offline, unknown model), was stopped then, or ended without the provider's
 * record: what chat, compare, evals and GenerationService store in its place.
 */
export function failedMetrics(ref: string, error: unknown, options: { aborted: boolean; totalMs?: number }): GenerationMetrics {
  const { provider, model } = parseRef(ref);
  const payload = toErrorPayload(error);
  return {
    ...emptyMetrics(provider, model),
    totalMs: options.totalMs ?? 0,
    stopReason: options.aborted ? 'aborted' : 'error',
    error: options.aborted ? null : { code: payload.code, message: payload.message },
  };
}

/** The provider's record of a generation that then failed (a timeout after some text): its usage and timings are kept. */
export function withFailure(metrics: GenerationMetrics, error: unknown): GenerationMetrics {
  const payload = toErrorPayload(error);
  return { ...metrics, stopReason: 'error', error: { code: payload.code, message: payload.message } };
}
