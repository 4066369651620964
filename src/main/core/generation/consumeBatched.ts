import type { GenerationMetrics } from '../../../shared/domain/generation';
import type { StreamEvent } from '../providers/ModelProvider';
import { AppError } from '../../../shared/errors';
import { failedMetrics } from './failedMetrics';

export interface BatchProgress {
  /** All text so far, this batch included. */
  text: string;
  /** performance.now() of the first non-empty delta. */
  firstAt: number;
  /** Non-empty deltas received so far. */
  deltas: number;
}

export interface ConsumeBatchedOptions {
  /** The model ref, for the metrics of a generation that fails before its first delta. */
  ref: string;
  signal: AbortSignal;
  /** How long deltas gather before one batch goes to `onBatch`. */
  batchMs: number;
  /** Send the first text at once: time to first token is what users feel. */
  immediateFirst: boolean;
  onBatch: (chunk: string, progress: BatchProgress) => void;
  /** When set, a failure before the first delta records the time since then as totalMs. */
  startedAt?: number;
}

/**
 * Reads a generation stream for a renderer: text goes out in batches (every `batchMs`), never one
 * event per token, and whatever is pending is flushed when the stream ends. Resolves with the text
 * and metrics of the stream's `done` event: GenerationService ends every stream that produced text
 * with one (partial text on a stop or a failure) and throws only before the first delta.
 */
export async function consumeBatched(
  stream: AsyncIterable<StreamEvent>,
  options: ConsumeBatchedOptions,
): Promise<{ text: string; metrics: GenerationMetrics }> {
  // The running text is for `onBatch` (interim saves); the result is the done event's.
  let soFar = '';
  let pending = '';
  let firstAt: number | null = null;
  let deltas = 0;
  let timer: NodeJS.Timeout | null = null;
  let done: { text: string; metrics: GenerationMetrics } | null = null;
  let failure: unknown = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending === '' || firstAt === null) return;
    const chunk = pending;
    pending = '';
    options.onBatch(chunk, { text: soFar, firstAt, deltas });
  };
  try {
    for await (const event of stream) {
      if (event.type === 'done') {
        done = { text: event.text, metrics: event.metrics };
        continue;
      }
      if (event.text === '') continue;
      deltas += 1;
      soFar += event.text;
      pending += event.text;
      if (firstAt === null) {
        firstAt = performance.now();
        if (options.immediateFirst) {
          flush();
          continue;
        }
      }
      timer ??= setTimeout(flush, options.batchMs);
    }
  } catch (error) {
    failure = error;
  }
  flush();
  if (done) return done;
  // A stream that broke its contract (threw after text, or ended without `done`) keeps what arrived.
  const totalMs = options.startedAt === undefined ? undefined : performance.now() - options.startedAt;
  const error = failure ?? new AppError('PROVIDER_BAD_RESPONSE', 'The model ended without a result.', { ref: options.ref });
  return { text: soFar, metrics: failedMetrics(options.ref, error, { aborted: options.signal.aborted, totalMs }) };
}
