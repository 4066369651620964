import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { CompareService } from '../../src/main/core/compare/CompareService';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { CompareRepository } from '../../src/main/core/store/CompareRepository';
import { Store } from '../../src/main/core/store/Store';
import type { EventPayload } from '../../src/shared/contract';
import { STORIES_MODEL, TINY_RANDOM_MODEL, tempDir } from '../helpers/tmp';

const dir = tempDir();
const engine = new LlamaEngine({ gpu: false });
const store = Store.open({ path: join(dir.path, 'parity.db') });

afterAll(async () => {
  await engine.dispose();
  store.dispose();
  dir[Symbol.dispose]();
});

describe('CompareService with real local models', () => {
  it('streams stories260K and llama-2-tiny-random side by side through the local provider and stores both answers', async () => {
    const registry = new ProviderRegistry();
    registry.register(new LocalProvider({ engine, resolver: new PathModelResolver(), defaultThreads: () => 1 }));
    const bus = new EventBus();
    const done: EventPayload<'compare.done'>[] = [];
    const deltas: EventPayload<'compare.delta'>[] = [];
    bus.on('compare.done', (p) => void done.push(p));
    bus.on('compare.delta', (p) => void deltas.push(p));
    const compare = new CompareService({ generation: new GenerationService(registry), repo: new CompareRepository(store), bus });

    const refs = [`local:${STORIES_MODEL}`, `local:${TINY_RANDOM_MODEL}`];
    const session = compare.startSession({ prompt: 'Once upon a time', refs, params: { temperature: 0, seed: 1, maxTokens: 16, threads: 1, chatTemplate: 'chatml' } });
    const end = Date.now() + 50_000;
    while (done.length < 2 && Date.now() < end) await sleep(20);

    const view = compare.get(session.id);
    expect(view.status).toBe('done');
    for (const slot of view.slots) {
      expect(slot.status).toBe('done');
      expect(slot.text.length).toBeGreaterThan(0);
      expect(slot.destination).toEqual({ local: true, host: null });
      expect(slot.metrics!.completionTokens).toBeGreaterThan(0);
      expect(slot.metrics!.ttftMs).not.toBeNull();
      expect(slot.detail!.provider).toBe('local');
      // What streamed is what was stored.
      expect(deltas.filter((d) => d.slot === slot.slot).map((d) => d.text).join('')).toBe(slot.text);
    }
    expect(view.slots[0]!.metrics!.stopReason).toMatch(/eos|max-tokens/);
    await compare.dispose();
  });
});
