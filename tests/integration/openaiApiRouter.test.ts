import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RequestContext } from '../../src/main/ipc/Router';
import { apiHarness, importStories, type ApiHarness } from '../helpers/apiHarness';
import { SYNTHETIC_MODEL } from '../helpers/tmp';

let h: ApiHarness;
let model: string;
/** Every route the API called, with the transport it named and whether it passed its request's signal. */
const calls: Array<{ route: string; transport: string; signal: boolean }> = [];

beforeAll(async () => {
  h = await apiHarness();
  model = await importStories(h);
  // A spy that calls through: the API holds this router, so what it dispatches is seen here.
  const handle = h.app.router.handle.bind(h.app.router);
  vi.spyOn(h.app.router, 'handle').mockImplementation((name: string, input: unknown, ctx: RequestContext) => {
    if (ctx.transport === 'api') calls.push({ route: name, transport: ctx.transport, signal: ctx.signal !== undefined });
    return handle(name, input, ctx);
  });
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.[Symbol.asyncDispose]();
});

const MESSAGES = [
  { role: 'system' as const, content: 'You tell short stories.' },
  { role: 'user' as const, content: 'Once upon a time' },
];

describe('the OpenAI-compatible API is a thin adapter over the router', () => {
  it('streams a chat answer from the chat.complete route: its delta events (by request id) are the SSE text, its metrics the usage', async () => {
    calls.length = 0;
    const deltas = new Map<string, string[]>();
    const off = h.app.bus.on('chat.complete.delta', (d) => deltas.set(d.requestId, [...(deltas.get(d.requestId) ?? []), d.text]));
    let streamed = '';
    let usage: unknown = null;
    let requestId: string | null = null;
    try {
      const { data: stream, request_id } = await h.client.chat.completions
        .create({ model, messages: MESSAGES, max_tokens: 12, temperature: 0, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      requestId = request_id;
      for await (const chunk of stream) {
        streamed += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
    } finally {
      off();
    }
    expect(streamed.length).toBeGreaterThan(0);
    // The request log's id is the route's request id, so only this answer's events were written.
    expect([...deltas.keys()]).toEqual([requestId]);
    expect(deltas.get(requestId!)!.join('')).toBe(streamed);
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });
    expect(calls.filter((c) => c.route === 'chat.complete')).toEqual([{ route: 'chat.complete', transport: 'api', signal: true }]);
    // The log's time to first token is the first delta event's.
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ id: string; ttftMs: number | null; stream: boolean }> };
    expect(requests[0]).toMatchObject({ id: requestId, stream: true, ttftMs: expect.any(Number) });
  });

  it('answers a non-streaming request from the same route, with the same text the app would give', async () => {
    calls.length = 0;
    const api = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 12, temperature: 0 });
    const direct = (await h.call('chat.complete', { requestId: 'direct', model, messages: MESSAGES, params: { maxTokens: 12, temperature: 0 } })) as { text: string };
    expect(api.choices[0]!.message.content).toBe(direct.text);
    expect(calls.map((c) => c.route)).toContain('chat.complete');
  });

  it('embeds through the embeddings.create route', async () => {
    calls.length = 0;
    const res = await h.client.embeddings.create({ model, input: ['a cat', 'a dog'], encoding_format: 'float' });
    const direct = (await h.call('embeddings.create', { model, input: ['a cat', 'a dog'] })) as { vectors: number[][]; promptTokens: number };
    expect(res.data.map((d) => d.embedding)).toEqual(direct.vectors);
    expect(res.usage.prompt_tokens).toBe(direct.promptTokens);
    expect(calls).toEqual([{ route: 'embeddings.create', transport: 'api', signal: true }]);
  });

  it('embeddings.create never loads a file the library does not hold', async () => {
    const before = await h.call('models.list', {});
    await expect(h.call('embeddings.create', { model: `local:${SYNTHETIC_MODEL}`, input: ['x'] })).rejects.toThrow(/not found/i);
    expect(await h.call('models.list', {})).toEqual(before);
  });
});
