import { describe, expect, it } from 'vitest';
import { completeOnce } from '../../src/main/core/chat/completeOnce';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import type { ModelProvider, StreamEvent, StreamOptions, StreamRequest } from '../../src/main/core/providers/ModelProvider';
import { Router, type Handlers } from '../../src/main/ipc/Router';
import { emptyMetrics } from '../../src/shared/domain/generation';
import { CannedProvider } from '../helpers/evalFakes';

/** A provider that keeps each request it got (messages, the parameters after defaults, sequences) and answers "ok". */
class RecordingProvider implements ModelProvider {
  readonly capabilities;
  readonly requests: Array<{ request: StreamRequest; sequences: number | undefined }> = [];

  constructor(readonly id: string, local: boolean) {
    this.capabilities = { local, streaming: true, listModels: false, seed: true, defaultConcurrency: 2 };
  }

  async listModels() {
    return [];
  }

  destination(): string | null {
    return this.capabilities.local ? null : 'fake.invalid';
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncIterable<StreamEvent> {
    this.requests.push({ request, sequences: options.sequences });
    yield { type: 'delta', text: 'ok' };
    yield { type: 'done', text: 'ok', metrics: { ...emptyMetrics(this.id, request.model), stopReason: 'eos', completionTokens: 1 } };
  }
}

function recordingSetup() {
  const bus = new EventBus();
  const providers = new ProviderRegistry();
  const local = new RecordingProvider('local', true);
  const remote = new RecordingProvider('openai', false);
  providers.register(local);
  providers.register(remote);
  const library = {
    resolve: async () => ({ id: 'lib-1', name: 'tiny', path: '/models/tiny.gguf', sha256: 'c'.repeat(64), hasChatTemplate: true, trainContextSize: 512 }),
    waitForHash: async () => null,
  };
  const generation = new GenerationService(providers);
  const router = new Router({ 'chat.complete': (input, ctx) => completeOnce({ generation, providers, library, bus, batchMs: 1 }, input, { signal: ctx.signal }) } as Partial<Handlers> as Handlers);
  return { router, local, remote };
}

function setup() {
  const bus = new EventBus();
  const providers = new ProviderRegistry();
  const remote = new CannedProvider({ id: 'openai', local: false, answer: () => 'a remote answer' });
  const local = new CannedProvider({ id: 'local', answer: (model) => `answered by ${model}` });
  providers.register(remote);
  providers.register(local);
  const resolved: string[] = [];
  const library = {
    resolve: async (idOrPath: string, options: { importIfMissing?: boolean } = {}) => {
      resolved.push(`${idOrPath}${options.importIfMissing ? ' (import)' : ''}`);
      return { id: 'lib-1', name: 'tiny', path: '/models/tiny.gguf', sha256: null, hasChatTemplate: true, trainContextSize: 512 };
    },
    waitForHash: async () => 'a'.repeat(64),
  };
  const generation = new GenerationService(providers);
  // Only chat.complete is exercised; the cast stands in for the other domains' handlers.
  const router = new Router({ 'chat.complete': (input, ctx) => completeOnce({ generation, providers, library, bus, batchMs: 1 }, input, { signal: ctx.signal }) } as Partial<Handlers> as Handlers);
  return { bus, router, resolved, local };
}

describe('chat.complete through the router', () => {
  it('streams chat.complete.delta for its request id and returns the whole answer with its metrics', async () => {
    const { bus, router } = setup();
    const mine: string[] = [];
    bus.on('chat.complete.delta', (d) => d.requestId === 'r1' && mine.push(d.text));
    const result = await router.handle('chat.complete', { requestId: 'r1', model: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { text: 'a remote answer', model: { id: 'openai:gpt-4o-mini', ref: 'openai:gpt-4o-mini', sha256: null }, metrics: { provider: 'openai' } } });
    expect(mine.join('')).toBe('a remote answer');
  });

  it('takes anything that is not a remote ref as a library model (path imported on request) and names the file that answered', async () => {
    const { router, resolved, local } = setup();
    const result = await router.handle('chat.complete', { requestId: 'r2', model: '/models/tiny.gguf', messages: [{ role: 'user', content: 'hi' }], importIfMissing: true, waitForSha256: true }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { text: 'answered by lib-1', model: { id: 'lib-1', ref: 'local:lib-1', sha256: 'ab'.repeat(32) } } });
    // The provider's own record of the file wins over the library's background hash.
    expect(resolved).toEqual(['/models/tiny.gguf (import)']);
    expect(local.calls).toEqual([{ model: 'lib-1', prompt: 'hi' }]);
  });

  it('refuses input the contract does not allow, naming the field', async () => {
    const { router } = setup();
    const result = await router.handle('chat.complete', { model: 'openai:x', messages: [{ role: 'user', content: 'hi' }] }, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'requestId' } } });
  });

  it('answers a whole conversation: system, user and assistant turns (tool calls with their results) reach the model in order', async () => {
    const { router, local } = recordingSetup();
    const toolCalls = [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}', result: { celsius: 4 } }];
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '', toolCalls },
      { role: 'user', content: 'And in Bergen?' },
    ];
    const result = await router.handle('chat.complete', { requestId: 'r4', model: 'local:lib-1', messages }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { text: 'ok', model: { ref: 'local:lib-1' } } });
    expect(local.requests[0]!.request.messages).toEqual(messages);
  });

  it('fills unset sampling as asked: chat (0.7) for any model; openai (1) for a local model only, leaving a remote model its own default', async () => {
    const { router, local, remote } = recordingSetup();
    const messages = [{ role: 'user', content: 'hi' }];
    const ask = (model: string, extra: Record<string, unknown>) => router.handle('chat.complete', { requestId: 'r5', model, messages, ...extra }, { transport: 'test' });
    await ask('local:lib-1', {});
    await ask('local:lib-1', { sampling: 'openai', sequences: 4 });
    await ask('local:lib-1', { sampling: 'openai', params: { temperature: 0, seed: 7 } });
    await ask('openai:gpt-4o-mini', { sampling: 'openai', sequences: 4 });
    await ask('openai:gpt-4o-mini', {});
    const [chat, openai, given] = local.requests.map((r) => r.request.params);
    expect(chat).toMatchObject({ temperature: 0.7, maxTokens: 1024, seed: expect.any(Number) });
    expect(openai).toMatchObject({ temperature: 1, maxTokens: 1024, seed: expect.any(Number) });
    // What the caller set wins over either fill.
    expect(given).toMatchObject({ temperature: 0, seed: 7 });
    // The caller's parallel answers size the local model's sequences; a remote model has none.
    expect(local.requests.map((r) => r.sequences)).toEqual([undefined, 4, undefined]);
    expect(remote.requests[0]!.sequences).toBeUndefined();
    expect(remote.requests[0]!.request.params.temperature).toBeUndefined();
    expect(remote.requests[0]!.request.params.seed).toBeUndefined();
    expect(remote.requests[1]!.request.params).toMatchObject({ temperature: 0.7, seed: expect.any(Number) });
  });

  it('refuses the old prompt/system shape, an unknown sampling fill and an over-long message, naming the field', async () => {
    const { router } = recordingSetup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ prompt: 'hi' }, 'messages'],
      [{ messages: [{ role: 'user', content: 'hi' }], sampling: 'greedy' }, 'sampling'],
      [{ messages: [{ role: 'user', content: 'x'.repeat(1_000_001) }] }, 'messages.0.content'],
      [{ messages: [{ role: 'tool', content: 'hi' }] }, 'messages.0.role'],
      [{ messages: [] }, 'messages'],
    ];
    for (const [extra, field] of cases) {
      const result = await router.handle('chat.complete', { requestId: 'r6', model: 'local:lib-1', ...extra }, { transport: 'test' });
      expect(result, field).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field } } });
    }
  });
});
