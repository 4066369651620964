import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { apiHarness } from '../helpers/apiHarness';
import { providerHarness } from '../helpers/fakeProviders/providerApp';

type AuditRows = { rows: Array<{ provider: string; model: string | null; status: string; purpose: string; outputTokens: number | null }> };

describe('OpenAI-compatible API with remote models: the same egress gateway, offline switch and audit log as the app', () => {
  it('serves a configured cloud model through the API, audited; offline it is a 503 with nothing sent', async () => {
    await using p = await providerHarness();
    await using h = await apiHarness({ app: p.app });
    const ids = (await h.client.models.list()).data.map((m) => m.id);
    expect(ids).toContain(p.ref('openai'));
    expect(ids).toContain(p.ref('compat'));

    const res = await h.client.chat.completions.create({ model: p.ref('openai'), messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.choices[0]!.message.content).toBe('Hello, world!');
    expect(res.usage).toEqual({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
    const chunks: string[] = [];
    for await (const c of await h.client.chat.completions.create({ model: p.ref('compat'), messages: [{ role: 'user', content: 'Hi' }], stream: true })) {
      chunks.push(c.choices[0]?.delta.content ?? '');
    }
    expect(chunks.join('')).toBe('Hello, world!');
    const audit = (await h.call('audit.list', {})) as AuditRows;
    expect(audit.rows.filter((r) => r.purpose === 'generation').map((r) => [r.provider, r.status])).toEqual(
      expect.arrayContaining([['openai', 'ok'], ['compat:fake', 'ok']]),
    );
    const { requests } = (await h.call('api.requests.list', {})) as { requests: Array<{ model: string; local: boolean }> };
    expect(requests.find((r) => r.model === p.ref('openai'))!.local).toBe(false);

    await h.call('settings.set', { key: 'offline', value: true });
    const before = { openai: p.servers.openai.requests.length, compat: p.servers.compat.requests.length };
    for (const wire of ['openai', 'compat'] as const) {
      const error = await h.client.chat.completions.create({ model: p.ref(wire), messages: [{ role: 'user', content: 'Hi' }], stream: wire === 'compat' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('offline');
    }
    expect(p.servers.openai.requests.length).toBe(before.openai);
    expect(p.servers.compat.requests.length).toBe(before.compat);
    const after = (await h.call('audit.list', {})) as AuditRows;
    expect(after.rows.filter((r) => r.status.includes('OFFLINE')).length).toBeGreaterThanOrEqual(2);
  });

  it('a provider error upstream is a 5xx in OpenAI\'s shape, never a hang', async () => {
    await using p = await providerHarness({ policy: { maxRetries: 0 } });
    await using h = await apiHarness({ app: p.app });
    p.servers.openai.faults.push({ kind: 'status', status: 500 });
    const error = await h.client.chat.completions.create({ model: p.ref('openai'), messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it("a provider's 429 before the first token is a 429 carrying the provider's own Retry-After, streamed or not", async () => {
    await using p = await providerHarness({ policy: { maxRetries: 0 } });
    await using h = await apiHarness({ app: p.app });
    for (const stream of [false, true]) {
      p.servers.compat.faults.push({ kind: 'status', status: 429, retryAfter: '7' });
      const error = await h.client.chat.completions.create({ model: p.ref('compat'), messages: [{ role: 'user', content: 'Hi' }], stream }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(429);
      expect(apiError.headers?.get('retry-after')).toBe('7');
    }
    // A 503 with a hint passes it on too (as the 502 an upstream outage is).
    p.servers.openai.faults.push({ kind: 'status', status: 503, retryAfter: '4' });
    const outage = (await h.client.chat.completions.create({ model: p.ref('openai'), messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(outage.status).toBe(502);
    expect(outage.headers?.get('retry-after')).toBe('4');
  });
});
