import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../helpers/apiHarness';
import { SYNTHETIC_MODEL } from '../helpers/tmp';

let h: ApiHarness;
let model: string;
let modelId: string;

beforeAll(async () => {
  h = await apiHarness({ api: { maxParallel: 4, maxQueued: 16 } });
  const { model: m } = (await h.call('models.import', { path: SYNTHETIC_MODEL, mode: 'link' })) as { model: { id: string } };
  modelId = m.id;
  model = `local:${m.id}`;
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

const MESSAGES = [{ role: 'user' as const, content: 'Tell me a long story.' }];

async function loadedState(): Promise<{ activeLeases: number; contexts: number } | undefined> {
  return (await h.app.engine.status()).loaded.find((m) => m.id === modelId);
}

describe('OpenAI-compatible API: parallel requests and disconnects on one local model', () => {
  it('a client that disconnects mid-stream stops its generation and frees its sequence at once', async () => {
    const controller = new AbortController();
    // Thousands of tokens at a few hundred per second: it would run for many seconds if not stopped.
    const stream = await h.client.chat.completions.create(
      { model, messages: MESSAGES, max_tokens: 3000, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let chunks = 0;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) chunks += 1;
        if (chunks === 3) {
          controller.abort();
          break;
        }
      }
    } catch {
      // The client may raise its abort; either way the connection is gone.
    }
    expect(chunks).toBe(3);
    const stoppedAt = Date.now();
    let state = await loadedState();
    while (state && state.activeLeases > 0 && Date.now() - stoppedAt < 5000) {
      await sleep(10);
      state = await loadedState();
    }
    expect(state?.activeLeases).toBe(0);
    let entry: { status: number; completionTokens: number | null } | undefined;
    for (let i = 0; i < 100 && !entry; i++) {
      const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ status: number; completionTokens: number | null; stream: boolean }> };
      entry = requests.find((r) => r.stream);
      if (!entry) await sleep(10);
    }
    expect(entry!.status).toBe(499);
    // Stopped where the client left, not after the 3000 tokens it asked for.
    expect(entry!.completionTokens).toBeLessThan(1000);
  });

  it('a non-streaming request whose client gives up is stopped too', async () => {
    const controller = new AbortController();
    const request = h.client.chat.completions
      .create({ model, messages: MESSAGES, max_tokens: 3000, temperature: 0 }, { signal: controller.signal })
      .catch((e: unknown) => e);
    // Wait until it is generating, then leave.
    for (let i = 0; i < 500 && ((await loadedState())?.activeLeases ?? 0) === 0; i++) await sleep(10);
    controller.abort();
    await request;
    let state = await loadedState();
    for (let i = 0; i < 500 && state && state.activeLeases > 0; i++) {
      await sleep(10);
      state = await loadedState();
    }
    expect(state?.activeLeases).toBe(0);
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ status: number; stream: boolean; completionTokens: number | null }> };
    expect(requests[0]).toMatchObject({ status: 499, stream: false });
    expect(requests[0]!.completionTokens).toBeLessThan(1000);
  });

  it('a burst of 8 clients runs as parallel sequences of one context, with the rest queued, and all finish', async () => {
    let maxActive = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        maxActive = Math.max(maxActive, (await loadedState())?.activeLeases ?? 0);
        await sleep(5);
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.client.chat.completions.create({ model, messages: [{ role: 'user', content: `Story number ${i}` }], max_tokens: 48, temperature: 0 }),
      ),
    );
    polling = false;
    await poller;
    for (const r of results) {
      expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
      expect(r.usage!.completion_tokens).toBeGreaterThan(0);
    }
    // Four at a time (the queue's parallel slots), in one context holding four sequences.
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(4);
    const state = await loadedState();
    expect(state?.contexts).toBe(1);
    expect(h.app.api.queue.stats(model)).toEqual({ running: 0, waiting: 0 });
  });
});
