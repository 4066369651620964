import type { ModelProvider, StreamEvent, StreamRequest, StreamOptions } from '../../src/main/core/providers/ModelProvider';
import { emptyMetrics } from '../../src/shared/domain/generation';
import { AppError } from '../../src/shared/errors';

export interface CannedProviderOptions {
  id?: string;
  local?: boolean;
  /** Answer for a model and the last user message. Default: the message upper-cased. */
  answer?: (model: string, prompt: string) => string;
  delayMs?: number;
  /** Throw PROVIDER_RATE_LIMITED on these call numbers (1-based). */
  rateLimitOn?: ReadonlySet<number>;
  defaultConcurrency?: number;
}

/**
 * A deterministic ModelProvider for runner tests: the runner is under test, not the model.
 * Records every call, and how many ran at once.
 */
export class CannedProvider implements ModelProvider {
  readonly id: string;
  readonly capabilities;
  readonly calls: Array<{ model: string; prompt: string }> = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly #o: CannedProviderOptions;

  constructor(options: CannedProviderOptions = {}) {
    this.#o = options;
    this.id = options.id ?? 'local';
    const local = options.local ?? true;
    this.capabilities = { local, streaming: true, listModels: false, seed: true, defaultConcurrency: options.defaultConcurrency ?? 2 };
  }

  async listModels() {
    return [];
  }

  destination(): string | null {
    return this.capabilities.local ? null : 'fake.invalid';
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    const prompt = request.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
    this.calls.push({ model: request.model, prompt });
    const n = this.calls.length;
    if (this.#o.rateLimitOn?.has(n)) throw new AppError('PROVIDER_RATE_LIMITED', 'slow down', { retryable: true });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const started = performance.now();
    try {
      const text = this.#o.answer ? this.#o.answer(request.model, prompt) : prompt.toUpperCase();
      if (this.#o.delayMs) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.#o.delayMs);
          options.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      const metrics = { ...emptyMetrics(this.id, request.model), host: this.destination(), ttftMs: 1, promptTokens: prompt.length, completionTokens: text.length };
      if (options.signal?.aborted) {
        yield { type: 'done', text: '', metrics: { ...metrics, stopReason: 'aborted', totalMs: performance.now() - started } };
        return;
      }
      yield { type: 'delta', text };
      yield { type: 'done', text, metrics: { ...metrics, stopReason: 'eos', totalMs: performance.now() - started, modelSha256: this.capabilities.local ? 'ab'.repeat(32) : null } };
    } finally {
      this.inFlight--;
    }
  }
}
