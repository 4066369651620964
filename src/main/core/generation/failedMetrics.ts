import { emptyMetrics, type GenerationMetrics } from '../../../shared/domain/generation';
import { parseOrLocal as parseRef } from '../../../shared/domain/modelRef';
import { toErrorPayload } from '../../../shared/errors';

/**
 * Metrics for a generation that threw before its first delta (bad key, offline, unknown model)
 * or was stopped then: what chat, compare and evals store in place of the provider's record.
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
