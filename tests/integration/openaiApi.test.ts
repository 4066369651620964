import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, importStories, type ApiHarness } from '../helpers/apiHarness';

let h: ApiHarness;
let model: string;

beforeAll(async () => {
  h = await apiHarness();
  model = await importStories(h);
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

const MESSAGES = [
  { role: 'system' as const, content: 'You tell short stories.' },
  { role: 'user' as const, content: [{ type: 'text' as const, text: 'Once upon a time' }] },
];

describe('OpenAI-compatible API with the official openai client and a real local model', () => {
  it('lists the library model in OpenAI\'s list shape', async () => {
    const list = await h.client.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain(model);
    expect(list.data.find((m) => m.id === model)).toMatchObject({ object: 'model', owned_by: 'parity-local' });
    // With no cloud key configured, no cloud model is offered.
    expect(ids.filter((id) => /^(openai|anthropic|google|compat):/.test(id))).toEqual([]);
    expect((await h.client.models.retrieve(model)).id).toBe(model);
  });

  it('answers a non-streaming completion with usage and finish_reason', async () => {
    const res = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 8, temperature: 0, seed: 1 });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe(model);
    expect(res.id).toMatch(/^chatcmpl-/);
    const choice = res.choices[0]!;
    expect(choice.message.role).toBe('assistant');
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(choice.finish_reason);
    expect(res.usage!.completion_tokens).toBeGreaterThan(0);
    expect(res.usage!.completion_tokens).toBeLessThanOrEqual(8);
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(res.usage!.total_tokens).toBe(res.usage!.prompt_tokens + res.usage!.completion_tokens);
  });

  it('honours max_completion_tokens (finish_reason length) and seed (same seed, same answer while sampling)', async () => {
    const ask = (): Promise<OpenAI.ChatCompletion> =>
      h.client.chat.completions.create({ model, messages: MESSAGES, max_completion_tokens: 6, temperature: 1.2, top_p: 0.95, seed: 42 });
    const [a, b] = [await ask(), await ask()];
    expect(a.choices[0]!.finish_reason).toBe('length');
    expect(a.usage!.completion_tokens).toBe(6);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    // prompt_tokens is the whole prompt, also when the second request found it in the model's cache.
    expect(b.usage!.prompt_tokens).toBe(a.usage!.prompt_tokens);
  });

  it('honours llama.cpp\'s top_k extension: top_k 1 while sampling is the greedy answer', async () => {
    const greedy = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 12, temperature: 0 });
    const body = { model, messages: MESSAGES, max_tokens: 12, temperature: 1.5, top_k: 1 } as OpenAI.ChatCompletionCreateParamsNonStreaming;
    const topOne = await h.client.chat.completions.create(body);
    expect(topOne.choices[0]!.message.content).toBe(greedy.choices[0]!.message.content);
  });

  it('stops at a stop sequence with finish_reason stop, without the sequence in the text', async () => {
    const free = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 24, temperature: 0 });
    const text = free.choices[0]!.message.content!;
    // A stop word taken from the greedy answer itself, so the stopped answer is its prefix.
    const word = text.trim().split(/\s+/)[2];
    expect(word).toBeTruthy();
    const stopped = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 24, temperature: 0, stop: [word!] });
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    expect(stopped.choices[0]!.message.content).not.toContain(word);
    expect(text.startsWith(stopped.choices[0]!.message.content!)).toBe(true);
  });

  it('streams chunks that add up to the same answer, then usage with include_usage, then [DONE]', async () => {
    const params = { model, messages: MESSAGES, max_tokens: 10, temperature: 0 };
    const whole = await h.client.chat.completions.create(params);
    const stream = await h.client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0]!.message.content);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish!.choices[0]!.finish_reason).toBe(whole.choices[0]!.finish_reason);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((c) => c.object === 'chat.completion.chunk' && c.usage === null)).toBe(true);

    // The raw wire: SSE `data:` lines ending in `data: [DONE]`, as curl -N shows it.
    const raw = await fetch(`${h.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await raw.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body.split('\n\n').filter(Boolean).every((e) => e.startsWith('data: '))).toBe(true);
  });

  it('embeds a string and an array, in float and in base64 (the client\'s default)', async () => {
    const one = await h.client.embeddings.create({ model, input: 'a cat', encoding_format: 'float' });
    expect(one.object).toBe('list');
    expect(one.data).toHaveLength(1);
    const dims = one.data[0]!.embedding.length;
    expect(dims).toBeGreaterThan(0);
    expect(one.usage.prompt_tokens).toBeGreaterThan(0);
    const two = await h.client.embeddings.create({ model, input: ['a cat', 'a dog'] });
    expect(two.data.map((d) => d.index)).toEqual([0, 1]);
    // base64 on the wire, decoded by the client into the same float32 values.
    expect(two.data[0]!.embedding).toHaveLength(dims);
    two.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(one.data[0]!.embedding[i]!, 5));
  });

  it('logs each request with its key name, model, tokens and timings, local ones marked as such', async () => {
    const answer = await h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 4, stream: false });
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<Record<string, unknown>> };
    const last = requests[0]!;
    // The SDK's request id is the log entry's.
    expect(answer._request_id).toBe(last.id);
    expect(last).toMatchObject({ keyName: 'tests', endpoint: '/chat/completions', model, local: true, stream: false, status: 200 });
    expect(last.completionTokens).toBeGreaterThan(0);
    expect(last.ttftMs).toBeGreaterThan(0);
    expect(last.totalMs).toBeGreaterThanOrEqual(last.ttftMs as number);
    const { keys } = (await h.call('api.keys.list', {})) as { keys: Array<{ id: string; name: string; lastUsedAt: string | null }> };
    const key = keys.find((k) => k.name === 'tests')!;
    expect(key.lastUsedAt).not.toBeNull();
    // The entry names its key's id, so the key list's "last used" can follow the live log.
    expect(last.keyId).toBe(key.id);
  });
});
