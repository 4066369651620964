import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import type { Wire } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, providerHarness } from '../helpers/fakeProviders/providerApp';

const MESSAGES = [{ role: 'user' as const, content: 'Say hello.' }];
const WIRES: Wire[] = ['openai', 'anthropic', 'google', 'compat'];

describe('failure handling for remote providers', () => {
  it('honours Retry-After on 429 and then succeeds', async () => {
    await using h = await providerHarness();
    h.servers.openai.faults.push({ kind: 'status', status: 429, retryAfter: '1' });
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.retries).toBe(1);
    const [first, second] = h.servers.openai.generationRequests;
    // The backoff base is 10 ms in the harness, so only Retry-After can explain a ~1 s gap.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it.each(WIRES)('%s: retries 500 and 503 (529 for Anthropic) before the first delta', async (wire) => {
    await using h = await providerHarness();
    h.servers[wire].faults.push({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.retries).toBe(2);
    expect(h.servers[wire].generationRequests).toHaveLength(3);
  });

  it('retries a connection reset before the first byte', async () => {
    await using h = await providerHarness();
    h.servers.compat.faults.push({ kind: 'reset-before' });
    const { done } = await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.retries).toBe(1);
  });

  it('gives up after maxRetries with the mapped error, and every attempt is audited', async () => {
    await using h = await providerHarness({ policy: { maxRetries: 2 } });
    h.servers.anthropic.faults.push(...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 503 as const })));
    const error = await collect(h.app.generation.stream(h.ref('anthropic'), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(h.servers.anthropic.generationRequests).toHaveLength(3);
    const audit = h.app.router.handle('audit.list', {}, { transport: 'test' });
    const rows = ((await audit) as { data: { rows: Array<{ status: string; httpStatus: number | null }> } }).data.rows;
    expect(rows.filter((r) => r.status === 'error:PROVIDER_UNAVAILABLE')).toHaveLength(3);
    expect(rows[0]!.httpStatus).toBe(529);
  });

  it.each(WIRES)('%s: a mid-stream reset keeps the partial text, marked incomplete', async (wire) => {
    await using h = await providerHarness();
    h.servers[wire].faults.push({ kind: 'reset-mid', afterChunks: 2 });
    const { deltas, done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {}));
    expect(done.text).toBe('Hello, ');
    expect(deltas.join('')).toBe('Hello, ');
    expect(done.metrics.stopReason).toBe('error');
    expect(done.metrics.error?.code).toBe('PROVIDER_STREAM_BROKEN');
    // A broken stream after text is not retried: the user already saw the partial answer.
    expect(h.servers[wire].generationRequests).toHaveLength(1);
  });

  it.each(WIRES)('%s: a malformed chunk is an error, not a silent truncation', async (wire) => {
    await using h = await providerHarness();
    h.servers[wire].faults.push({ kind: 'malformed', afterChunks: 2 });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {}));
    expect(done.text).toBe('Hello, ');
    expect(done.metrics.stopReason).toBe('error');
    expect(done.metrics.error?.code).toBe('PROVIDER_BAD_RESPONSE');
  });

  it('an Anthropic error event mid-stream ends with an error and the partial text', async () => {
    await using h = await providerHarness();
    h.servers.anthropic.faults.push({ kind: 'error-event', afterChunks: 1 });
    const { done } = await collect(h.app.generation.stream(h.ref('anthropic'), MESSAGES, {}));
    expect(done.text).toBe('Hello');
    expect(done.metrics.stopReason).toBe('error');
    expect(done.metrics.error?.code).toBe('PROVIDER_STREAM_BROKEN');
    expect(done.metrics.error?.message).toContain('Overloaded');
  });

  it('an Anthropic overloaded error event before any text is retried', async () => {
    await using h = await providerHarness();
    h.servers.anthropic.faults.push({ kind: 'error-event', afterChunks: 0 });
    const { done } = await collect(h.app.generation.stream(h.ref('anthropic'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.retries).toBe(1);
  });

  it('a slow first token hits the first-token timeout and is retried', async () => {
    await using h = await providerHarness({ policy: { firstTokenTimeoutMs: 300 } });
    h.servers.google.faults.push({ kind: 'slow-first', delayMs: 2000 });
    const { done } = await collect(h.app.generation.stream(h.ref('google'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.retries).toBe(1);
  });

  it('the total timeout ends the call with PROVIDER_TIMEOUT', async () => {
    await using h = await providerHarness({ policy: { totalTimeoutMs: 300, firstTokenTimeoutMs: 10_000 } });
    h.servers.openai.faults.push({ kind: 'slow-first', delayMs: 2000 });
    const error = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_TIMEOUT');
  });

  it('aborting mid-stream stops promptly and keeps the partial text', async () => {
    await using h = await providerHarness({ server: { reply: { chunks: Array.from({ length: 200 }, (_, i) => `w${i} `), usage: { input: 5, output: 200 } } } });
    const controller = new AbortController();
    const deltas: string[] = [];
    let done: { text: string; metrics: { stopReason: string } } | null = null;
    for await (const event of h.app.generation.stream(h.ref('anthropic'), MESSAGES, {}, { signal: controller.signal })) {
      if (event.type === 'delta') {
        deltas.push(event.text);
        if (deltas.length === 3) controller.abort();
      } else done = event;
    }
    expect(done?.metrics.stopReason).toBe('aborted');
    expect(done?.text.startsWith('w0 w1 w2 ')).toBe(true);
    expect(deltas.length).toBeLessThan(200);
  });

  it('aborting before the first token ends with an aborted result and no retry', async () => {
    await using h = await providerHarness();
    h.servers.openai.faults.push({ kind: 'slow-first', delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}, { signal: controller.signal }));
    expect(done.metrics.stopReason).toBe('aborted');
    expect(done.text).toBe('');
    expect(h.servers.openai.generationRequests).toHaveLength(1);
  });

  it('falls back to another model after the primary fails, and records it', async () => {
    await using h = await providerHarness({ policy: { maxRetries: 1 } });
    h.servers.openai.faults.push({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}, { fallback: h.ref('anthropic') }));
    expect(done.text).toBe('Hello, world!');
    expect(done.metrics.provider).toBe('anthropic');
    expect(done.metrics.fallbackFrom).toBe('openai:gpt-4o-mini');
    expect(done.metrics.retries).toBe(1);
  });
});
