import { appendFileSync, copyFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, type ApiHarness } from '../helpers/apiHarness';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

let h: ApiHarness;
let model: string;
const dir = tempDir('parity-api-errors-');

beforeAll(async () => {
  // One slot and no waiting place, so a held slot makes the next request a 429.
  h = await apiHarness({ api: { maxParallel: 1, maxQueued: 0 } });
  const { model: m } = (await h.call('models.import', { path: STORIES_MODEL, mode: 'link' })) as { model: { id: string } };
  model = `local:${m.id}`;
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
  dir[Symbol.dispose]();
});

const MESSAGES = [{ role: 'user' as const, content: 'Hi' }];

async function raw(path: string, init: { method?: string; body?: string; key?: string | null } = {}): Promise<{ status: number; headers: Headers; body: { error: { message: string; type: string; code: string | null; param: string | null } } }> {
  const key = init.key === undefined ? h.key : init.key;
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
    body: init.body,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

function chat(extra: Record<string, unknown>): Promise<Awaited<ReturnType<typeof raw>>> {
  return raw('/chat/completions', { body: JSON.stringify({ model, messages: MESSAGES, max_tokens: 2, ...extra }) });
}

describe('OpenAI-compatible API errors: OpenAI\'s shape and status', () => {
  it('401 without a key, with a wrong key, with a revoked key and with the serve UI token', async () => {
    for (const key of [null, 'pk-parity-not-a-real-key', h.transport.token]) {
      const r = await raw('/models', { method: 'GET', key });
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key', param: null });
      expect(r.body.error.message).toMatch(/API key/);
    }
    const { id, key } = (await h.call('api.keys.create', { name: 'short-lived' })) as { id: string; key: string };
    expect((await raw('/models', { method: 'GET', key })).status).toBe(200);
    await h.call('api.keys.revoke', { id });
    expect((await raw('/models', { method: 'GET', key })).status).toBe(401);
    // The official client raises its AuthenticationError.
    const bad = new OpenAI({ baseURL: h.baseUrl, apiKey: 'pk-parity-wrong', maxRetries: 0 });
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    // The refusals are in the live log, without a key name.
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ status: number; keyName: string | null }> };
    expect(requests.filter((r) => r.status === 401).every((r) => r.keyName === null)).toBe(true);
  });

  it('400 naming the parameter: response_format, tools, tool_choice, n > 1, unknown ones, tool messages', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ response_format: { type: 'yaml' } }, 'response_format', /must be \{"type": "text"\}/],
      [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', required: 'a' } } } }, 'response_format.json_schema.schema.required', /Invalid/],
      [{ tools: [{ type: 'function', function: { name: 'f g', parameters: {} } }] }, 'tools.0.function.name', /tool name/],
      [{ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }, 'tool_choice', /not one of the tools/],
      [{ functions: [{ name: 'f' }] }, 'functions', /not supported yet/],
      [{ n: 2 }, 'n', /`n` greater than 1/],
      [{ frobnicate: true }, 'frobnicate', /Unknown parameter/],
      [{ presence_penalty: 0.5 }, 'presence_penalty', /not supported/],
      [{ logprobs: true }, 'logprobs', /not supported/],
      [{ temperature: 3 }, 'temperature', /Invalid/],
      [{ messages: [{ role: 'tool', content: 'x', tool_call_id: 'a' }] }, 'messages[0].tool_call_id', /answers tool call "a", which the assistant message before it did not make/],
      [
        { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }] },
        'messages[1].tool_calls',
        /call "c1" has no tool message with its result/,
      ],
      [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content[0].type', /text parts only/],
    ];
    for (const [extra, param, message] of cases) {
      const r = await chat(extra);
      expect(r.status, param).toBe(400);
      expect(r.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect(r.body.error.message).toMatch(message);
    }
    // What clients send by default is accepted: n 1, zero penalties, logprobs false, user, store false.
    const ok = await chat({ n: 1, presence_penalty: 0, frequency_penalty: 0, logprobs: false, user: 'u1', store: false, stream: false });
    expect(ok.status).toBe(200);
    const badJson = await raw('/chat/completions', { body: '{"model":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    await expect(h.client.chat.completions.create({ model, messages: MESSAGES, n: 3 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    // A refused request is in the live log with its model and the reason.
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ status: number; model: string | null; error: string | null }> };
    expect(requests[0]).toMatchObject({ status: 400, model, error: expect.stringMatching(/`n` greater than 1/) });
  });

  it('404 for a model that is not in the library, a provider that does not exist, and an unknown endpoint', async () => {
    for (const missing of ['local:no-such-model', `local:${join(dir.path, 'elsewhere.gguf')}`, 'nosuch:model']) {
      const r = await chat({ model: missing });
      expect(r.status, missing).toBe(404);
      expect(r.body.error).toMatchObject({ type: 'not_found_error', code: 'model_not_found', param: 'model' });
      if (missing === 'nosuch:model') expect(r.body.error.message).toMatch(/No provider "nosuch"/);
    }
    const e = await raw('/embeddings', { body: JSON.stringify({ model: 'local:no-such-model', input: 'x' }) });
    expect(e.status).toBe(404);
    expect((await raw('/completions', { body: '{}' })).status).toBe(404);
    await expect(h.client.models.retrieve('local:nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await raw('/models/%E0%A4%A', { method: 'GET' })).status).toBe(400);
  });

  it('413 for a body over the limit, in OpenAI\'s shape', async () => {
    const r = await raw('/chat/completions', { body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x'.repeat(9 * 1024 * 1024) }] }) });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('request_too_large');
  });

  it('429 with Retry-After when the model\'s queue is full; the slot frees again', async () => {
    const release = await h.app.api.queue.acquire(model);
    try {
      const r = await chat({});
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
      await expect(h.client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 2 })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    } finally {
      release();
    }
    expect((await chat({})).status).toBe(200);
  });

  it('503 when a model fails to load (a damaged file), with the reason', async () => {
    const copy = join(dir.path, 'damaged.gguf');
    copyFileSync(STORIES_MODEL, copy);
    // Other bytes than the library's copy, or the import would be refused as a duplicate.
    appendFileSync(copy, Buffer.from([0]));
    const { model: m } = (await h.call('models.import', { path: copy, mode: 'link' })) as { model: { id: string } };
    truncateSync(copy, 4096);
    const r = await chat({ model: `local:${m.id}` });
    expect(r.status).toBe(503);
    expect(r.body.error).toMatchObject({ type: 'service_unavailable', code: 'model_load_failed' });
    expect(r.body.error.message).toMatch(/Could not load/);
  });

  it('embeddings refuse remote models and unknown parameters with 400', async () => {
    expect((await raw('/embeddings', { body: JSON.stringify({ model: 'openai:text-embedding-3-small', input: 'x' }) })).body.error.param).toBe('model');
    expect((await raw('/embeddings', { body: JSON.stringify({ model, input: 'x', dimensions: 8 }) })).body.error.param).toBe('dimensions');
  });
});
