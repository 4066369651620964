import { copyFileSync, openSync, readFileSync, writeFileSync, closeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import type { StreamEvent } from '../../src/main/core/providers/ModelProvider';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import type { ChatMessage, GenerationParams } from '../../src/shared/domain/generation';
import { AppError } from '../../src/shared/errors';
import { writeWithContextLength } from '../helpers/patchGguf';
import { STORIES_MODEL, SYNTHETIC_MODEL, TINY_RANDOM_MODEL, tempDir } from '../helpers/tmp';
import { freemem } from 'node:os';

const STORIES_SHA = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';

let budgetMb = 0;
let idleMinutes = 0;
// One engine (one getLlama) for the whole file, as in the app.
/** When set, what the engine is told is free RAM (for the automatic budget). */
let freeBytes: number | null = null;
const engine = new LlamaEngine({ gpu: false, memoryBudgetMb: () => budgetMb, idleUnloadMinutes: () => idleMinutes, freeMemoryBytes: () => freeBytes ?? freemem() });
const resolver = new PathModelResolver();
const provider = new LocalProvider({ engine, resolver, defaultThreads: () => 1 });
afterAll(() => engine.dispose());

const base: GenerationParams = { temperature: 0, seed: 1, maxTokens: 24, threads: 1, chatTemplate: 'chatml' };

async function collect(stream: AsyncIterable<StreamEvent>, onDelta?: (text: string) => void) {
  const deltas: string[] = [];
  for await (const event of stream) {
    if (event.type === 'delta') {
      deltas.push(event.text);
      onDelta?.(event.text);
    } else return { deltas, done: event };
  }
  throw new Error('stream ended without done');
}

describe('LocalProvider over LlamaEngine (real GGUF)', () => {
  it('gives the same text twice at temperature 0 with a seed, with plausible metrics', async () => {
    const messages = [{ role: 'user' as const, content: 'Once upon a time' }];
    const a = await collect(provider.stream({ model: STORIES_MODEL, messages, params: base }));
    const b = await collect(provider.stream({ model: STORIES_MODEL, messages, params: base }));
    expect(a.done.text.length).toBeGreaterThan(0);
    expect(a.deltas.join('')).toBe(a.done.text);
    expect(b.done.text).toBe(a.done.text);
    const m = a.done.metrics;
    expect(m.provider).toBe('local');
    expect(m.host).toBeNull();
    expect(m.modelSha256).toBe(STORIES_SHA);
    expect(m.backend).toBe('cpu');
    expect(m.threads).toBe(1);
    expect(m.gpuLayers).toBe(0);
    expect(m.loadMs).toBeGreaterThan(0);
    expect(b.done.metrics.loadMs).toBe(0);
    expect(['eos', 'max-tokens']).toContain(m.stopReason);
    expect(m.completionTokens).toBeGreaterThan(0);
    expect(m.completionTokens).toBeLessThanOrEqual(24);
    expect(m.promptTokens).toBeGreaterThan(0);
    expect(m.ttftMs).toBeGreaterThan(0);
    expect(m.ttftMs!).toBeLessThan(m.totalMs);
    expect(m.decodeTokensPerSecond).toBeGreaterThan(0);
    expect(m.promptTokensPerSecond).toBeGreaterThan(0);
    expect(m.costUsd).toBeNull();
  });

  it('keeps the partial text when stopped mid-stream', async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await collect(
      provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: 'Tell a long story' }], params: { ...base, maxTokens: 400 } }, { signal: controller.signal }),
      () => {
        if (++seen === 3) controller.abort();
      },
    );
    expect(result.done.metrics.stopReason).toBe('aborted');
    expect(result.done.text.length).toBeGreaterThan(0);
    expect(result.done.text.startsWith(result.deltas.slice(0, 3).join(''))).toBe(true);
    expect(result.done.metrics.completionTokens).toBeLessThan(400);
  });

  it('streams two conversations concurrently on one loaded model through context sequences', async () => {
    const params = { ...base, maxTokens: 32, contextSize: 256 };
    const a = provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: 'Lily had a cat' }], params });
    const b = provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: 'Tom went to the park' }], params });
    let overlap = false;
    let active = 0;
    const track = async (s: AsyncIterable<StreamEvent>) => {
      let started = false;
      const out = await collect(s, () => {
        if (!started) {
          started = true;
          active += 1;
        }
        if (active === 2) overlap = true;
      });
      active -= 1;
      return out;
    };
    const [ra, rb] = await Promise.all([track(a), track(b)]);
    expect(ra.done.text.length).toBeGreaterThan(0);
    expect(rb.done.text.length).toBeGreaterThan(0);
    expect(overlap).toBe(true);
    const status = await engine.status();
    const loaded = status.loaded.filter((m) => m.path === STORIES_MODEL);
    expect(loaded).toHaveLength(1);
    // Both sequences came from one context of 2 sequences at this size/threads.
    expect(loaded[0]!.contexts).toBeGreaterThanOrEqual(1);
    expect(loaded[0]!.activeLeases).toBe(0);
  });

  it('uses the GGUF chat template by default and rejects an unknown override', async () => {
    const ok = await collect(provider.stream({ model: SYNTHETIC_MODEL, messages: [{ role: 'user', content: 'hi' }], params: { ...base, chatTemplate: undefined, maxTokens: 4 } }));
    expect(ok.done.metrics.completionTokens).toBeGreaterThan(0);
    await expect(collect(provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: 'hi' }], params: { ...base, chatTemplate: 'nope' } }))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('reports a non-GGUF file and a truncated model as AppErrors without crashing', async () => {
    using dir = tempDir();
    const junk = join(dir.path, 'junk.gguf');
    writeFileSync(junk, 'this is not a model '.repeat(100));
    const truncated = join(dir.path, 'truncated.gguf');
    copyFileSync(STORIES_MODEL, truncated);
    const fd = openSync(truncated, 'r+');
    ftruncateSync(fd, Math.floor(readFileSync(STORIES_MODEL).length / 2));
    closeSync(fd);
    for (const path of [junk, truncated]) {
      const error = await collect(provider.stream({ model: path, messages: [{ role: 'user', content: 'hi' }], params: base })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('MODEL_LOAD_FAILED');
      expect((error as AppError).message).toMatch(/Could not load/);
    }
    // The engine still works afterwards.
    const after = await collect(provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: 'hi' }], params: { ...base, maxTokens: 4 } }));
    expect(after.done.text.length).toBeGreaterThan(0);
  });

  it('chats with a GGUF whose header claims a 4-billion-token context (the default context stays usable)', async () => {
    using dir = tempDir();
    const absurd = join(dir.path, 'claims-4g-context.gguf');
    writeWithContextLength(STORIES_MODEL, absurd, 0xffffffff);
    const result = await collect(provider.stream({ model: absurd, messages: [{ role: 'user', content: 'Once upon a time' }], params: { ...base, maxTokens: 8 } }));
    expect(result.done.metrics.stopReason).not.toBe('error');
    expect(result.done.text.length).toBeGreaterThan(0);
    expect(result.done.metrics.promptTokens).toBeGreaterThan(0);
  });

  it('refuses a prompt longer than the context with PROMPT_TOO_LONG naming both sizes, instead of cutting it', async () => {
    const long = 'Once upon a time there was a little girl who liked to play in the park. '.repeat(40);
    const error = await collect(provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: long }], params: { ...base, contextSize: 256 } })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const { code, details, message } = error as AppError;
    expect(code).toBe('PROMPT_TOO_LONG');
    expect(details).toMatchObject({ contextSize: 256 });
    expect(details!.promptTokens as number).toBeGreaterThan(256);
    expect(message).toContain(`${(details!.promptTokens as number).toLocaleString('en-US')} tokens`);
    expect(message).toContain('context holds 256');
  });

  it('leaves the oldest turns out of a conversation longer than the context, and says how many', async () => {
    const turn = 'Once upon a time there was a little girl who liked to play in the park with her dog. ';
    const messages: ChatMessage[] = [{ role: 'system', content: 'You tell stories.' }];
    for (let i = 0; i < 6; i++) messages.push({ role: 'user', content: turn.repeat(2) }, { role: 'assistant', content: turn.repeat(2) });
    messages.push({ role: 'user', content: 'The end?' });
    const result = await collect(provider.stream({ model: STORIES_MODEL, messages, params: { ...base, contextSize: 256, maxTokens: 8 } }));
    const m = result.done.metrics;
    expect(m.stopReason).not.toBe('error');
    expect(m.droppedMessages).toBeGreaterThan(0);
    expect(m.droppedMessages! % 2).toBe(0); // whole turns, oldest first; the system prompt and the question stay
    expect(m.promptTokens! + m.promptTokensCached!).toBeLessThanOrEqual(256 - 25);
    const short = await collect(provider.stream({ model: STORIES_MODEL, messages: messages.slice(-1), params: { ...base, contextSize: 256, maxTokens: 8 } }));
    expect(short.done.metrics.droppedMessages).toBe(0);
  });

  it('reports only the prompt tokens evaluated for a second message, and marks a context shift', async () => {
    // A context size no other test uses: a pool of its own, so the second turn reuses the first's cache.
    const params = { ...base, contextSize: 384, maxTokens: 16 };
    const first: ChatMessage[] = [{ role: 'user', content: 'Once upon a time there was a little dog called Max who lived near the sea.' }];
    const a = await collect(provider.stream({ model: STORIES_MODEL, messages: first, params }));
    const m1 = a.done.metrics;
    expect(m1.promptTokensCached).toBe(0);
    expect(m1.contextShifted).toBe(false);
    const second: ChatMessage[] = [...first, { role: 'assistant', content: a.done.text }, { role: 'user', content: 'What happened next?' }];
    const b = await collect(provider.stream({ model: STORIES_MODEL, messages: second, params }));
    const m2 = b.done.metrics;
    // The first turn came from the cache: only the new tokens were evaluated, and the speed is theirs.
    expect(m2.promptTokens!).toBeLessThan(m1.promptTokens! + m1.completionTokens!);
    expect(m2.promptTokensCached).toBeGreaterThanOrEqual(m1.promptTokens!);
    expect(m2.promptTokens).toBeGreaterThan(0);
    expect(m2.promptTokens!).toBeLessThan(m2.promptTokensCached!);
    expect(m2.promptTokensPerSecond).toBeGreaterThan(0);
    expect(m2.promptTokensPerSecond!).toBeGreaterThanOrEqual((m2.promptTokens! / m2.ttftMs!) * 1000 * 0.999);

    // An answer longer than a 256-token context shifts it: marked, and the next message still
    // counts only what was evaluated (never more than the context holds).
    const shiftParams = { ...base, contextSize: 256, maxTokens: 400 };
    const chatA: ChatMessage[] = [{ role: 'user', content: 'Tell me a long story.' }];
    const long = await collect(provider.stream({ model: TINY_RANDOM_MODEL, messages: chatA, params: shiftParams }));
    expect(long.done.metrics.completionTokens).toBeGreaterThan(256);
    expect(long.done.metrics.contextShifted).toBe(true);
    const next = await collect(
      provider.stream({ model: TINY_RANDOM_MODEL, messages: [...chatA, { role: 'assistant', content: long.done.text }, { role: 'user', content: 'And then?' }], params: { ...shiftParams, maxTokens: 4 } }),
    );
    const m3 = next.done.metrics;
    expect(m3.promptTokens!).toBeLessThan(256);
    expect(m3.droppedMessages).toBe(2);
    expect(m3.promptTokens).toBeGreaterThan(0);
    expect(m3.promptTokens! + m3.promptTokensCached!).toBeLessThan(256);
  });

  it('unloads on request and evicts the least recently used model over the memory budget', async () => {
    const stories = await resolver.resolve(STORIES_MODEL);
    const synthetic = await resolver.resolve(SYNTHETIC_MODEL);
    await engine.unload(synthetic.id);
    await engine.load(stories);
    expect((await engine.status()).loaded.map((m) => m.id)).toContain(stories.id);
    budgetMb = 50;
    try {
      const progress: number[] = [];
      const second = await engine.load(synthetic, { onLoadProgress: (p) => progress.push(p) });
      expect(second.loadMs).toBeGreaterThan(0);
      expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);
      // 52 MB of synthetic weights alone exceed the 50 MB budget: stories (idle, older) was evicted.
      expect((await engine.status()).loaded.map((m) => m.id)).toEqual([synthetic.id]);
    } finally {
      budgetMb = 0;
    }
    expect(await engine.unload(synthetic.id)).toBe(true);
    expect((await engine.status()).loaded).toEqual([]);
  });

  it('puts parallel generations that ask for N sequences into one context of N sequences', async () => {
    const contexts = async (): Promise<number> => (await engine.status()).loaded.find((m) => m.path === STORIES_MODEL)?.contexts ?? 0;
    const before = await contexts();
    // A context size no other test uses, so every context at this key is new.
    const params = { ...base, maxTokens: 8, contextSize: 384 };
    const prompts = ['Lily had a cat', 'Tom went to the park', 'The sun was hot', 'A bird sang'];
    const results = await Promise.all(prompts.map((content) => collect(provider.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content }], params }, { sequences: 4 }))));
    expect(results.every((r) => r.done.text.length > 0)).toBe(true);
    // With the default of 2 sequences per context, four parallel streams would have needed two.
    expect(await contexts()).toBe(before + 1);
  });

  it('with no budget set, unloads an idle model when free memory cannot take the next one', async () => {
    const stories = await resolver.resolve(STORIES_MODEL);
    const synthetic = await resolver.resolve(SYNTHETIC_MODEL);
    await engine.load(stories);
    freeBytes = 10 * 1024 * 1024; // less than synthetic's ~52 MB of weights
    try {
      await engine.load(synthetic);
      expect((await engine.status()).loaded.map((m) => m.id)).toEqual([synthetic.id]);
    } finally {
      freeBytes = null;
    }
    // With plenty free, both stay loaded.
    await engine.load(stories);
    expect((await engine.status()).loaded.map((m) => m.id).sort()).toEqual([stories.id, synthetic.id].sort());
    await engine.unload(stories.id);
    await engine.unload(synthetic.id);
  });

  it('stops a load through its AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(engine.load(await resolver.resolve(SYNTHETIC_MODEL), { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await engine.status()).loaded).toEqual([]);
  });

  it('a lease is Disposable: `using` gives the sequence back at the end of the block, and only once', async () => {
    const stories = await resolver.resolve(STORIES_MODEL);
    const leases = async (): Promise<number | undefined> => (await engine.status()).loaded.find((m) => m.id === stories.id)?.activeLeases;
    {
      using lease = await engine.acquire(stories, { threads: 1 });
      expect(await leases()).toBe(1);
      // An explicit release before the block ends must not be counted again when `using` disposes it.
      using other = await engine.acquire(stories, { threads: 1 });
      expect(await leases()).toBe(2);
      other.release();
      expect(lease.sequence.contextSize).toBeGreaterThan(0);
    }
    expect(await leases()).toBe(0);
  });

  it('unloads a model left idle for idleUnloadMinutes, not one in use', async () => {
    const stories = await resolver.resolve(STORIES_MODEL);
    idleMinutes = 0.002; // 120 ms
    try {
      const lease = await engine.acquire(stories, { threads: 1 });
      await new Promise((r) => setTimeout(r, 300));
      expect(engine.isLoaded(stories.id)).toBe(true);
      lease.release();
      await new Promise((r) => setTimeout(r, 400));
      expect(engine.isLoaded(stories.id)).toBe(false);
    } finally {
      idleMinutes = 0;
    }
  });
});
