import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import type { Wire } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, FAKE_KEYS, providerHarness } from '../helpers/fakeProviders/providerApp';

const WIRES: Wire[] = ['openai', 'anthropic', 'google', 'compat'];
const MESSAGES = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Say hello.' },
];

describe('cloud and OpenAI-compatible providers over their real wire formats', () => {
  it.each(WIRES)('%s: streams text and reports usage, cost and host from the provider', async (wire) => {
    await using h = await providerHarness();
    const { deltas, done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, { temperature: 0 }));
    expect(deltas.join('')).toBe('Hello, world!');
    expect(deltas.length).toBeGreaterThan(1);
    expect(done.text).toBe('Hello, world!');
    const m = done.metrics;
    expect(m.stopReason).toBe('eos');
    expect(m.promptTokens).toBe(12);
    expect(m.completionTokens).toBe(4);
    expect(m.usageEstimated).toBe(false);
    expect(m.host).toBe(`127.0.0.1:${h.servers[wire].port}`);
    expect(m.ttftMs).not.toBeNull();
    expect(m.retries).toBe(0);
    expect(m.error).toBeNull();
    // Shipped prices exist for the three cloud models; a compat model has none → unknown, never 0.
    if (wire === 'compat') expect(m.costUsd).toBeNull();
    else expect(m.costUsd).toBeGreaterThan(0);
    expect(h.servers[wire].generationRequests).toHaveLength(1);
  });

  it('openai uses the Responses API and compat uses chat completions with include_usage', async () => {
    await using h = await providerHarness();
    await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {}));
    expect(h.servers.openai.generationRequests[0]!.path).toBe('/v1/responses');
    const compatReq = h.servers.compat.generationRequests[0]!;
    expect(compatReq.path).toBe('/v1/chat/completions');
    expect(JSON.parse(compatReq.body).stream_options).toEqual({ include_usage: true });
    expect(h.servers.google.requests).toHaveLength(0);
  });

  it('estimates usage (and says so) when the server reports none', async () => {
    await using h = await providerHarness({ server: { omitUsage: true } });
    const { done } = await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.usageEstimated).toBe(true);
    expect(done.metrics.completionTokens).toBe(Math.ceil('Hello, world!'.length / 4));
  });

  it.each(WIRES)('%s: a wrong key says to check the key and never echoes it', async (wire) => {
    await using h = await providerHarness({
      env: { OPENAI_API_KEY: 'sk-wrong-key-000000000000wxyz', ANTHROPIC_API_KEY: 'sk-ant-wrong-0000000000wxyz', GEMINI_API_KEY: 'AIzaWRONG000000000000wxyz' },
      keysVia: wire === 'compat' ? 'none' : 'env',
    });
    const error = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_AUTH');
    const text = JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details });
    expect(text).toMatch(/check the key/i);
    expect(text).not.toContain('wrong-key');
    expect(text).not.toContain(FAKE_KEYS[wire]);
    // Auth failures are not retried.
    expect(h.servers[wire].generationRequests).toHaveLength(1);
  });

  it.each(WIRES)('%s: an unknown model says so', async (wire) => {
    await using h = await providerHarness();
    const error = await collect(h.app.generation.stream(h.ref(wire, 'no-such-model'), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_UNKNOWN_MODEL');
    expect((error as Error).message).toContain('no-such-model');
  });

  it('lists models from each provider only when asked to refresh', async () => {
    await using h = await providerHarness();
    const cached = await h.app.router.handle('providers.models', {}, { transport: 'test' });
    expect(cached.ok).toBe(true);
    for (const s of Object.values(h.servers)) expect(s.requests).toHaveLength(0);
    const refs = (cached as { data: { models: Array<{ ref: string }> } }).data.models.map((m) => m.ref);
    expect(refs).toEqual(expect.arrayContaining(['openai:gpt-4o-mini', 'anthropic:claude-sonnet-4-5', 'google:gemini-2.5-flash', 'compat:fake/llama-3.1-8b-instant']));
    const fresh = await h.app.router.handle('providers.models', { refresh: true }, { transport: 'test' });
    const data = (fresh as { data: { models: Array<{ ref: string; host: string | null }>; errors: unknown[] } }).data;
    expect(data.errors).toEqual([]);
    expect(data.models.map((m) => m.ref)).toEqual(expect.arrayContaining(['openai:gpt-4o-mini', 'anthropic:claude-sonnet-4-5', 'google:gemini-2.5-flash']));
    for (const wire of WIRES) expect(h.servers[wire].requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });

  it('reports where a prompt goes before it is sent', async () => {
    await using h = await providerHarness();
    const d = await h.app.router.handle('providers.destination', { ref: 'anthropic:claude-haiku-4-5' }, { transport: 'test' });
    expect(d).toEqual({ ok: true, data: { ref: 'anthropic:claude-haiku-4-5', host: `127.0.0.1:${h.servers.anthropic.port}`, local: false } });
    expect(h.app.generation.destination('compat:fake/x')).toBe(`127.0.0.1:${h.servers.compat.port}`);
  });
});
