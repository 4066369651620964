import { AppError } from '../../../shared/errors';

export interface RetryPolicy {
  /** Attempts after the first, for 429, 5xx and connection failures before the first delta. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whole call, retries and waits included. */
  totalTimeoutMs: number;
  /** From sending a request to its first text delta. */
  firstTokenTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  totalTimeoutMs: 10 * 60_000,
  firstTokenTimeoutMs: 60_000,
};

const RETRYABLE = new Set(['PROVIDER_RATE_LIMITED', 'PROVIDER_UNAVAILABLE', 'PROVIDER_TIMEOUT']);

export function isRetryable(error: AppError): boolean {
  return RETRYABLE.has(error.code) || error.details?.retryable === true;
}

/** Retry-After wins when the provider sends it; otherwise exponential backoff with full jitter. */
export function retryDelayMs(error: AppError, attempt: number, policy: RetryPolicy, random: () => number): number {
  const hinted = error.details?.retryAfterMs;
  if (typeof hinted === 'number' && Number.isFinite(hinted)) return Math.min(hinted, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}
