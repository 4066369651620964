import { describe, expect, it } from 'vitest';
import { consumeBatched } from '../../src/main/core/generation/consumeBatched';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import type { ModelProvider, StreamEvent, StreamOptions, StreamRequest } from '../../src/main/core/providers/ModelProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { AppError } from '../../src/shared/errors';

/** A remote provider that sends two deltas, then throws what `fail` makes (a dropped connection, a stop). */
class BreaksMidway implements ModelProvider {
  readonly id = 'openai';
  readonly capabilities = { local: false, streaming: true, listModels: false, seed: false, defaultConcurrency: 1 };
  calls = 0;
  constructor(readonly fail: (options: StreamOptions) => Promise<never>) {}
  async listModels() {
    return [];
  }
  destination(): string {
    return 'api.example.com';
  }
  async *stream(_request: StreamRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    this.calls += 1;
    yield { type: 'delta', text: 'Half ' };
    yield { type: 'delta', text: 'an answer' };
    await this.fail(options);
  }
}

async function run(provider: BreaksMidway, signal?: AbortSignal): Promise<StreamEvent[]> {
  const registry = new ProviderRegistry();
  registry.register(provider);
  const generation = new GenerationService(registry, { policy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 } });
  const events: StreamEvent[] = [];
  for await (const e of generation.stream('openai:gpt-x', [{ role: 'user', content: 'hi' }], {}, { signal })) events.push(e);
  return events;
}

describe('GenerationService ends every stream that produced text with its done event', () => {
  it('a failure after the first delta ends with done carrying the partial text and the error, and is not retried', async () => {
    const provider = new BreaksMidway(async () => {
      throw new AppError('PROVIDER_UNAVAILABLE', 'connection reset', { retryable: true });
    });
    const events = await run(provider);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.text).toBe('Half an answer');
    expect(done.metrics.stopReason).toBe('error');
    expect(done.metrics.error?.code).toBe('PROVIDER_UNAVAILABLE');
    // A retry would send the deltas a second time.
    expect(provider.calls).toBe(1);
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe('Half an answer');
  });

  it('a stop after the first delta ends with done carrying the partial text, stopped', async () => {
    const controller = new AbortController();
    const provider = new BreaksMidway(async (options) => {
      controller.abort();
      throw new AppError('ABORTED', 'stopped', { aborted: options.signal?.aborted ?? false });
    });
    const events = await run(provider, controller.signal);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', text: 'Half an answer', metrics: { stopReason: 'aborted', error: null } });
  });

  it("consumeBatched's result is the done event's text, not its own copy of the deltas", async () => {
    async function* stream(): AsyncGenerator<StreamEvent> {
      yield { type: 'delta', text: 'Sending to [EMAIL_1]' };
      // GenerationService's done carries the answer as the user reads it (restored values included).
      yield { type: 'done', text: 'Sending to jane@example.com', metrics: (await import('../../src/shared/domain/generation')).emptyMetrics('openai', 'gpt-x') };
    }
    const result = await consumeBatched(stream(), { ref: 'openai:gpt-x', signal: new AbortController().signal, batchMs: 1, immediateFirst: true, onBatch: () => {} });
    expect(result.text).toBe('Sending to jane@example.com');
  });
});
