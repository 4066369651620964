import { afterAll, describe, expect, it } from 'vitest';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import type { StreamOptions } from '../../src/main/core/providers/ModelProvider';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import type { ChatMessage, GenerationMetrics, GenerationParams } from '../../src/shared/domain/generation';
import { STORIES_MODEL, SYNTHETIC_MODEL } from '../helpers/tmp';

const engine = new LlamaEngine({ gpu: false, idleUnloadMinutes: () => 0 });
const provider = new LocalProvider({ engine, resolver: new PathModelResolver(), defaultThreads: () => 1 });
afterAll(() => engine.dispose());

/** What happened in one stream, in the order the test saw events of all streams. */
interface Watched {
  first: Promise<void>;
  /** The final metrics, with the answer's text. */
  done: Promise<GenerationMetrics & { text: string }>;
}

const events: string[] = [];

function watch(name: string, model: string, content: string | ChatMessage[], params: GenerationParams, options: StreamOptions = {}): Watched {
  let firstSeen!: () => void;
  const first = new Promise<void>((resolve) => (firstSeen = resolve));
  const messages: ChatMessage[] = typeof content === 'string' ? [{ role: 'user', content }] : content;
  const done = (async () => {
    let seen = false;
    for await (const event of provider.stream({ model, messages, params }, options)) {
      if (event.type === 'delta' && !seen) {
        seen = true;
        events.push(`${name} first`);
        firstSeen();
      }
      if (event.type === 'done') {
        events.push(`${name} done`);
        firstSeen();
        return { ...event.metrics, text: event.text };
      }
    }
    throw new Error(`${name} ended without done`);
  })();
  return { first, done };
}

describe('a request on a model whose other sequences are decoding', () => {
  it('API-style parallel requests (4 sequences): a new prompt starts while three others decode, not after them', async () => {
    // Random weights: gibberish that does not stop early, so the three long answers really are decoding.
    const params: GenerationParams = { temperature: 0, seed: 1, maxTokens: 16, threads: 1, contextSize: 512 };
    const wave = ['alpha', 'bravo', 'charlie', 'delta'].map((w, i) => watch(`wave${i}`, SYNTHETIC_MODEL, `Wave question about ${w}`, params, { sequences: 4 }));
    await Promise.all(wave.map((w) => w.done));
    // Every sequence of the context now holds an earlier answer.
    events.length = 0;
    const long = ['one', 'two', 'three'].map((w, i) => watch(`long${i}`, SYNTHETIC_MODEL, `A different long question number ${w}`, { ...params, maxTokens: 96 }, { sequences: 4 }));
    await Promise.all(long.map((l) => l.first));
    const late = watch('late', SYNTHETIC_MODEL, 'Something else entirely, asked late', { ...params, maxTokens: 4 }, { sequences: 4 });
    const [lateMetrics, ...longMetrics] = await Promise.all([late.done, ...long.map((l) => l.done)]);
    expect(longMetrics.map((m) => m.completionTokens)).toEqual([96, 96, 96]);
    expect(lateMetrics.completionTokens).toBeGreaterThan(0);
    // Before: the late request's sequence was erased under the context's lock, which the batch loop
    // keeps while two or more sequences decode, so its first token came only after two answers ended.
    const lateFirst = events.indexOf('late first');
    expect(events.slice(0, lateFirst).filter((e) => e.endsWith('done'))).toEqual([]);
    const status = (await engine.status()).loaded.find((m) => m.path === SYNTHETIC_MODEL);
    expect(status?.contexts).toBe(1);
  });

  it('two chats taking turns on the default 2-sequence context each continue on their own cached sequence', async () => {
    // A context size no other test uses: a pool of its own.
    const params: GenerationParams = { temperature: 0, seed: 1, maxTokens: 12, threads: 1, contextSize: 320, chatTemplate: 'chatml' };
    const turn = async (messages: ChatMessage[]) => {
      const metrics = await watch('chat', STORIES_MODEL, messages, params).done;
      return { metrics, next: (content: string): ChatMessage[] => [...messages, { role: 'assistant', content: metrics.text }, { role: 'user', content }] };
    };
    const a1 = await turn([{ role: 'user', content: 'Lily found a red ball in the garden behind her house.' }]);
    const b1 = await turn([{ role: 'user', content: 'Tom and his dog walked to the big park near the river.' }]);
    const a2 = await turn(a1.next('What did she do next?'));
    const b2 = await turn(b1.next('Where did they go?'));
    // Before: the last released sequence went to whoever came next, so each turn erased the other chat's
    // cache and evaluated its whole conversation again.
    expect(a2.metrics.promptTokensCached).toBeGreaterThanOrEqual(a1.metrics.promptTokens!);
    expect(b2.metrics.promptTokensCached).toBeGreaterThanOrEqual(b1.metrics.promptTokens!);
    const status = (await engine.status()).loaded.find((m) => m.path === STORIES_MODEL);
    expect(status?.activeLeases).toBe(0);
  });

  it('parallel requests keep the most recent answer cached: a client continuing that conversation evaluates only its new turn', async () => {
    const params: GenerationParams = { temperature: 0, seed: 1, maxTokens: 12, threads: 1, contextSize: 448, chatTemplate: 'chatml' };
    const others = ['The cat sat on the mat.', 'A boy had a kite.', 'The sun was warm today.'];
    await Promise.all(others.map((content, i) => watch(`other${i}`, STORIES_MODEL, content, params, { sequences: 4 }).done));
    const first: ChatMessage[] = [{ role: 'user', content: 'Once upon a time a little fox lived in a quiet green forest.' }];
    const answer = await watch('first', STORIES_MODEL, first, params, { sequences: 4 }).done;
    const next: ChatMessage[] = [...first, { role: 'assistant', content: answer.text }, { role: 'user', content: 'What did the fox find?' }];
    const continued = await watch('continued', STORIES_MODEL, next, params, { sequences: 4 }).done;
    expect(continued.promptTokensCached).toBeGreaterThanOrEqual(answer.promptTokens!);
  });

  it('chat and compare (the default 2-sequence context): a new prompt on a sequence holding another answer starts while the other decodes', async () => {
    // What poolPolicy relies on to keep every cache up to 2 leases: with one other sequence decoding,
    // node-llama-cpp frees the context's lock between its tokens, so erasing waits about one token.
    const params: GenerationParams = { temperature: 0, seed: 1, maxTokens: 8, threads: 1, contextSize: 352 };
    await watch('p', SYNTHETIC_MODEL, 'First earlier conversation', params).done;
    await watch('q', SYNTHETIC_MODEL, 'Second earlier conversation', params).done;
    events.length = 0;
    const long = watch('long', SYNTHETIC_MODEL, 'A new long answer, please', { ...params, maxTokens: 128 });
    await long.first;
    const late = watch('late', SYNTHETIC_MODEL, 'Another new question', { ...params, maxTokens: 4 });
    const [, longMetrics] = await Promise.all([late.done, long.done]);
    expect(longMetrics.completionTokens).toBe(128);
    expect(events.indexOf('late first')).toBeLessThan(events.indexOf('long done'));
  });
});

describe('the first generations on a freshly loaded model', () => {
  it('resolve the chat template before any of them holds a sequence, so none waits behind it', async () => {
    // node-llama-cpp checks a GGUF's Jinja template against each built-in wrapper it might equal,
    // synchronously (~0.6 s for synthetic-84m's); resolved while a lease was held, the other cells'
    // leases came that much later (the "0.75 s gap" in a process's first eval run).
    await using fresh = new LlamaEngine({ gpu: false, idleUnloadMinutes: () => 0 });
    const local = new LocalProvider({ engine: fresh, resolver: new PathModelResolver(), defaultThreads: () => 1 });
    const order: string[] = [];
    const load = fresh.load.bind(fresh);
    fresh.load = async (info, options) => {
      const result = await load(info, options);
      const { loaded } = result;
      if (!Object.hasOwn(loaded, 'chatWrapper')) {
        const resolve = loaded.chatWrapper.bind(loaded);
        loaded.chatWrapper = (template) => {
          const wrapper = resolve(template);
          order.push('template');
          return wrapper;
        };
      }
      return result;
    };
    const acquire = fresh.acquire.bind(fresh);
    fresh.acquire = async (info, options) => {
      const lease = await acquire(info, options);
      order.push('lease');
      return lease;
    };
    const params: GenerationParams = { temperature: 0, seed: 1, maxTokens: 4, threads: 1, contextSize: 256 };
    await Promise.all(
      ['a', 'b', 'c'].map(async (n) => {
        for await (const event of local.stream({ model: STORIES_MODEL, messages: [{ role: 'user', content: `Story ${n}` }], params }, { sequences: 3 })) void event;
      }),
    );
    expect(order.filter((o) => o === 'lease')).toHaveLength(3);
    expect(order.indexOf('template')).toBeLessThan(order.indexOf('lease'));
  });
});
