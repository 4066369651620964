import type { GenerationMetrics } from '../../../shared/domain/generation';
import type { StreamEvent } from '../providers/ModelProvider';
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
 * event per token, and whatever is pending is flushed when the stream ends. Resolves with the
 * full text and the final metrics (null only if the provider ended without its `done` event).
 */
export async function consumeBatched(
  stream: AsyncIterable<StreamEvent>,
  options: ConsumeBatchedOptions,
): Promise<{ text: string; metrics: GenerationMetrics | null }> {
  let text = '';
  let pending = '';
  let firstAt: number | null = null;
  let deltas = 0;
  let timer: NodeJS.Timeout | null = null;
  let metrics: GenerationMetrics | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending === '' || firstAt === null) return;
    const chunk = pending;
    pending = '';
    options.onBatch(chunk, { text, firstAt, deltas });
  };
  try {
    for await (const event of stream) {
      if (event.type === 'done') {
        text = event.text;
        metrics = event.metrics;
        continue;
      }
      if (event.text === '') continue;
      deltas += 1;
      text += event.text;
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
    const totalMs = options.startedAt === undefined ? undefined : performance.now() - options.startedAt;
    metrics = failedMetrics(options.ref, error, { aborted: options.signal.aborted, totalMs });
  }
  flush();
  return { text, metrics };
}
