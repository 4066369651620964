import { describe, expect, it } from 'vitest';
import { completeOnce } from '../../src/main/core/chat/completeOnce';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { Router, type Handlers } from '../../src/main/ipc/Router';
import { CannedProvider } from '../helpers/evalFakes';

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
    const result = await router.handle('chat.complete', { requestId: 'r1', model: 'openai:gpt-4o-mini', prompt: 'hi' }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { text: 'a remote answer', model: { id: 'openai:gpt-4o-mini', ref: 'openai:gpt-4o-mini', sha256: null }, metrics: { provider: 'openai' } } });
    expect(mine.join('')).toBe('a remote answer');
  });

  it('takes anything that is not a remote ref as a library model (path imported on request) and names the file that answered', async () => {
    const { router, resolved, local } = setup();
    const result = await router.handle('chat.complete', { requestId: 'r2', model: '/models/tiny.gguf', prompt: 'hi', importIfMissing: true, waitForSha256: true }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { text: 'answered by lib-1', model: { id: 'lib-1', ref: 'local:lib-1', sha256: 'ab'.repeat(32) } } });
    // The provider's own record of the file wins over the library's background hash.
    expect(resolved).toEqual(['/models/tiny.gguf (import)']);
    expect(local.calls).toEqual([{ model: 'lib-1', prompt: 'hi' }]);
  });

  it('refuses input the contract does not allow, naming the field', async () => {
    const { router } = setup();
    const result = await router.handle('chat.complete', { model: 'openai:x', prompt: 'hi' }, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'requestId' } } });
  });
});
