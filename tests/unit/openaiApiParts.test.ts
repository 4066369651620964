import { describe, expect, it } from 'vitest';
import { ModelQueue } from '../../src/main/core/api/ModelQueue';
import { finishReason, planChat } from '../../src/main/ipc/openai/chatCompletions';
import { OpenAiHttpError, toOpenAiError } from '../../src/main/ipc/openai/openAiErrors';
import { AppError, isAppError } from '../../src/shared/errors';

describe('planChat: an OpenAI request to what GenerationService takes', () => {
  it('maps messages, content parts and sampling parameters', () => {
    const plan = planChat({
      model: 'local:abc',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], name: 'me' },
        { role: 'assistant', content: null },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 10,
      max_completion_tokens: 20,
      seed: 7,
      stop: 'END',
      stream: true,
      stream_options: { include_usage: true },
      user: 'someone',
      top_k: 40,
      min_p: 0.05,
      repeat_penalty: 1.1,
    });
    expect(plan.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'a\nb' },
      { role: 'assistant', content: '' },
    ]);
    // max_completion_tokens supersedes the deprecated max_tokens.
    expect(plan.params).toEqual({ temperature: 0.2, topP: 0.9, maxTokens: 20, seed: 7, stop: ['END'], topK: 40, minP: 0.05, repeatPenalty: 1.1 });
    expect(plan).toMatchObject({ ref: 'local:abc', stream: true, includeUsage: true });
  });

  it('caps an answer at the chat default when the request names no limit', () => {
    expect(planChat({ model: 'local:abc', messages: [{ role: 'user', content: 'hi' }] }).params.maxTokens).toBe(1024);
    expect(planChat({ model: 'local:abc', messages: [{ role: 'user', content: 'hi' }], max_tokens: null }).params.maxTokens).toBe(1024);
  });

  it.each([
    [{ response_format: { type: 'json_schema' } }, 'response_format'],
    [{ functions: [] }, 'functions'],
    [{ n: 4 }, 'n'],
    [{ mirostat: 2 }, 'mirostat'],
    [{ top_k: -1 }, 'top_k'],
    [{ frequency_penalty: 1 }, 'frequency_penalty'],
    [{ stream_options: { include_usage: true } }, 'stream_options'],
    [{ messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'x' }] }] }, 'messages[0].tool_calls[0]'],
    [{ messages: [] }, 'messages'],
    [{ seed: -1 }, 'seed'],
  ])('refuses %j naming %s', (extra, param) => {
    let error: unknown;
    try {
      planChat({ model: 'local:abc', messages: [{ role: 'user', content: 'hi' }], ...extra });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OpenAiHttpError);
    expect((error as OpenAiHttpError).status).toBe(400);
    expect((error as OpenAiHttpError).param).toBe(param);
  });

  it('maps stop reasons to finish_reason', () => {
    expect(finishReason('eos')).toBe('stop');
    expect(finishReason('stop-sequence')).toBe('stop');
    expect(finishReason('max-tokens')).toBe('length');
    expect(finishReason('content-filter')).toBe('content_filter');
  });
});

describe('toOpenAiError', () => {
  it.each([
    ['OFFLINE', 503],
    ['PROVIDER_DISABLED', 503],
    ['MODEL_LOAD_FAILED', 503],
    ['NOT_FOUND', 404],
    ['PROVIDER_UNKNOWN_MODEL', 404],
    ['VALIDATION_FAILED', 400],
    ['PROMPT_TOO_LONG', 400],
    ['PROVIDER_RATE_LIMITED', 429],
    ['PROVIDER_TIMEOUT', 504],
    ['INTERNAL', 500],
  ] as const)('%s is %i', (code, status) => {
    expect(toOpenAiError(new AppError(code, 'x')).status).toBe(status);
  });

  it('carries Retry-After on 429 from the error details', () => {
    expect(toOpenAiError(new AppError('PROVIDER_RATE_LIMITED', 'x', { retryAfterSeconds: 2.2 })).headers).toEqual({ 'Retry-After': '3' });
    expect(toOpenAiError(new AppError('PROVIDER_RATE_LIMITED', 'x', { retryAfterMs: 7000 })).headers).toEqual({ 'Retry-After': '7' });
    expect(toOpenAiError(new AppError('PROVIDER_RATE_LIMITED', 'x')).headers).toEqual({ 'Retry-After': '1' });
  });
});

describe('ModelQueue', () => {
  it('runs maxParallel at once, queues maxQueued, refuses beyond with PROVIDER_RATE_LIMITED', async () => {
    const q = new ModelQueue({ maxParallel: 2, maxQueued: 1 });
    const a = await q.acquire('m');
    await q.acquire('m');
    let started = false;
    const waiting = q.acquire('m').then((release) => ((started = true), release));
    const refused = await q.acquire('m').catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('PROVIDER_RATE_LIMITED');
    expect(q.stats('m')).toEqual({ running: 2, waiting: 1 });
    // Another model has its own lane.
    (await q.acquire('other'))();
    a();
    a(); // releasing twice frees one slot only
    const third = await waiting;
    expect(started).toBe(true);
    expect(q.stats('m')).toEqual({ running: 2, waiting: 0 });
    third();
  });

  it('configure (serve --api-parallel/--api-queue) applies to the next requests', async () => {
    const q = new ModelQueue({ maxParallel: 1, maxQueued: 0 });
    const first = await q.acquire('m');
    expect(isAppError(await q.acquire('m').catch((e: unknown) => e))).toBe(true);
    q.configure({ maxParallel: 2 });
    const second = await q.acquire('m');
    expect(q.stats('m')).toEqual({ running: 2, waiting: 0 });
    first();
    second();
  });

  it('a waiter whose signal aborts leaves the queue at once', async () => {
    const q = new ModelQueue({ maxParallel: 1, maxQueued: 4 });
    const hold = await q.acquire('m');
    const controller = new AbortController();
    const waiting = q.acquire('m', controller.signal).catch((e: unknown) => e);
    expect(q.stats('m').waiting).toBe(1);
    controller.abort();
    const error = await waiting;
    expect(isAppError(error) && error.code).toBe('ABORTED');
    expect(q.stats('m')).toEqual({ running: 1, waiting: 0 });
    hold();
    expect(q.stats('m')).toEqual({ running: 0, waiting: 0 });
  });
});
