import { AbortedError, AppError } from '../../../shared/errors';

export interface ModelQueueOptions {
  /** Requests one model runs at once (parallel sequences of one context). */
  maxParallel: number;
  /** Requests that may wait behind them; one more is refused instead of growing memory. */
  maxQueued: number;
}

interface Lane {
  running: number;
  waiting: Array<{ start: () => void; cancel: () => void }>;
}

/**
 * Parallel API requests per local model by default: the engine's own sequences per context, so API
 * requests share the context chat already holds instead of allocating another KV cache.
 */
export const DEFAULT_API_PARALLEL = 2;
/** Requests that may wait per local model by default before a 429. */
export const DEFAULT_API_QUEUE = 16;

/** Retry-After for a refused request: a short wait, as the queue drains at generation speed. */
export const QUEUE_RETRY_AFTER_SECONDS = 1;

/**
 * A bounded queue per model key: `maxParallel` slots, `maxQueued` waiting places, and a clear
 * PROVIDER_RATE_LIMITED (429 on the API) beyond that. A waiter whose signal aborts leaves at once.
 */
export class ModelQueue {
  #options: ModelQueueOptions;
  readonly #lanes = new Map<string, Lane>();

  constructor(options: ModelQueueOptions) {
    this.#options = { ...options };
  }

  /** `parity serve --api-parallel/--api-queue`; applies to requests from now on. */
  configure(options: Partial<ModelQueueOptions>): void {
    this.#options = { ...this.#options, ...options };
  }

  get maxParallel(): number {
    return this.#options.maxParallel;
  }

  /** Resolves with a release function once a slot is free. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(new AbortedError('The request was cancelled before it started.'));
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, (lane = { running: 0, waiting: [] }));
    const owned = lane;
    const release = this.#releaser(key, owned);
    if (owned.running < this.#options.maxParallel) {
      owned.running += 1;
      return Promise.resolve(release);
    }
    if (owned.waiting.length >= this.#options.maxQueued) {
      return Promise.reject(
        new AppError(
          'PROVIDER_RATE_LIMITED',
          `${key} is busy: ${owned.running} requests are running and ${owned.waiting.length} are waiting. Retry in ${QUEUE_RETRY_AFTER_SECONDS} s.`,
          { model: key, retryAfterSeconds: QUEUE_RETRY_AFTER_SECONDS, running: owned.running, waiting: owned.waiting.length },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => entry.cancel();
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          owned.running += 1;
          resolve(release);
        },
        cancel: () => {
          const i = owned.waiting.indexOf(entry);
          if (i >= 0) owned.waiting.splice(i, 1);
          this.#dropIfIdle(key, owned);
          reject(new AbortedError('The request was cancelled while waiting for the model.'));
        },
      };
      owned.waiting.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  stats(key: string): { running: number; waiting: number } {
    const lane = this.#lanes.get(key);
    return { running: lane?.running ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  #releaser(key: string, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      lane.running -= 1;
      const next = lane.waiting.shift();
      if (next) next.start();
      else this.#dropIfIdle(key, lane);
    };
  }

  #dropIfIdle(key: string, lane: Lane): void {
    if (lane.running === 0 && lane.waiting.length === 0 && this.#lanes.get(key) === lane) this.#lanes.delete(key);
  }
}
