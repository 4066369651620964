import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { isAppError } from '../../src/shared/errors';
import { join } from 'node:path';
import { AuditLog } from '../../src/main/core/audit/AuditLog';
import { EgressGateway } from '../../src/main/core/egress/EgressGateway';
import { AuditRepository } from '../../src/main/core/audit/AuditRepository';
import { chainKeyFor } from '../helpers/auditKey';
import { Store } from '../../src/main/core/store/Store';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { tempDir } from '../helpers/tmp';
import { call, collect, providerHarness } from '../helpers/fakeProviders/providerApp';

const MESSAGES = [{ role: 'user' as const, content: 'Say hello.' }];

function totalRequests(h: Awaited<ReturnType<typeof providerHarness>>): number {
  return Object.values(h.servers).reduce((n, s) => n + s.requests.length, 0);
}

describe('egress gateway', () => {
  it('a fresh install makes no outbound request while the app is built and browsed', async () => {
    using dir = tempDir();
    const attempts: string[] = [];
    const app = createApp({
      dataDir: dir.path,
      mode: 'cli',
      gpu: false,
      remote: { env: {}, fetch: async (input) => (attempts.push(String(input)), new Response('{}')) },
    });
    try {
      for (const [route, input] of [
        ['providers.list', {}],
        ['providers.models', {}],
        ['providers.destination', { ref: 'openai:gpt-4o-mini' }],
        ['prices.get', {}],
        ['audit.list', {}],
        ['audit.verify', {}],
      ] as const) {
        const r = await call(app, route, input);
        expect(r.ok, `${route}: ${JSON.stringify(r)}`).toBe(true);
      }
      // With no key, a generation fails before any request is made.
      const error = await collect(app.generation.stream('openai:gpt-4o-mini', MESSAGES, {})).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('PROVIDER_AUTH');
      expect(attempts).toEqual([]);
    } finally {
      await app.dispose();
    }
  });

  it.each(['setting', 'flag', 'env'] as const)('the Offline switch (%s) blocks every provider with zero requests at the server', async (how) => {
    await using h = await providerHarness({ offline: how === 'flag', env: how === 'env' ? { PARITY_OFFLINE: '1' } : {} });
    if (how === 'setting') expect((await call(h.app, 'settings.set', { key: 'offline', value: true })).ok).toBe(true);
    for (const wire of ['openai', 'anthropic', 'google', 'compat'] as const) {
      const error = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {})).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('OFFLINE');
      expect((error as Error).message).toContain('Offline mode (Settings → Offline, or --offline / PARITY_OFFLINE=1)');
      expect((error as Error).message).toContain(`127.0.0.1:${h.servers[wire].port}`);
    }
    const models = await call(h.app, 'providers.models', { refresh: true });
    expect(models.ok && (models.data as { errors: Array<{ code: string }> }).errors.every((e) => e.code === 'OFFLINE')).toBe(true);
    expect(totalRequests(h)).toBe(0);
    // Blocked calls are outcomes too: they are in the audit log, with nothing sent.
    const audit = await call(h.app, 'audit.list', {});
    const rows = (audit as { data: { rows: Array<{ status: string; bytesSent: number }> } }).data.rows;
    expect(rows.some((r) => r.status === 'error:OFFLINE' && r.bytesSent === 0)).toBe(true);
  });

  it('Offline wins over a missing key, so the user is told the real reason', async () => {
    await using h = await providerHarness({ keysVia: 'none', offline: true });
    const error = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('OFFLINE');
  });

  it('an unreachable endpoint is PROVIDER_UNAVAILABLE after retries, not a bad response', async () => {
    await using h = await providerHarness({ policy: { maxRetries: 1 } });
    const port = h.servers.compat.port;
    await h.servers.compat[Symbol.asyncDispose]();
    const error = await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('PROVIDER_UNAVAILABLE');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    const rows = ((await call(h.app, 'audit.list', {})) as { data: { rows: Array<{ status: string }> } }).data.rows;
    expect(rows.map((r) => r.status)).toEqual(['error:PROVIDER_UNAVAILABLE', 'error:PROVIDER_UNAVAILABLE']);
  });

  it('turning Offline off again lets requests through', async () => {
    await using h = await providerHarness();
    await call(h.app, 'settings.set', { key: 'offline', value: true });
    await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {})).catch(() => null);
    expect(totalRequests(h)).toBe(0);
    await call(h.app, 'settings.set', { key: 'offline', value: false });
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
    expect(totalRequests(h)).toBe(1);
  });

  it('a disabled provider is refused with PROVIDER_DISABLED and no request; others still work', async () => {
    await using h = await providerHarness();
    expect((await call(h.app, 'providers.setEnabled', { provider: 'anthropic', enabled: false })).ok).toBe(true);
    expect((await call(h.app, 'providers.setEnabled', { provider: 'compat:fake', enabled: false })).ok).toBe(true);
    for (const wire of ['anthropic', 'compat'] as const) {
      const error = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {})).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('PROVIDER_DISABLED');
      expect(h.servers[wire].requests).toHaveLength(0);
    }
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
  });

  it('fetchFor (the downloader\'s fetch) is blocked offline and audited online, one row per request', async () => {
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'compat' });
    const store = Store.open({ path: join(dir.path, 'p.db') });
    try {
      let offline = true;
      const audit = new AuditLog(new AuditRepository(store), { key: chainKeyFor(dir.path, store) });
      const gateway = new EgressGateway({ audit, isOffline: () => offline, isProviderEnabled: () => true });
      const fetch = gateway.fetchFor({ provider: 'download', purpose: 'download' });
      const blocked = await fetch(`${server.baseUrl}/models`).catch((e: unknown) => e);
      expect(isAppError(blocked) && blocked.code).toBe('OFFLINE');
      expect(server.requests).toHaveLength(0);
      offline = false;
      const res = await fetch(`${server.baseUrl}/models`);
      const body = await res.text();
      expect(server.requests).toHaveLength(1);
      const rows = audit.all();
      expect(rows.map((r) => r.status)).toEqual(['blocked:OFFLINE', 'ok']);
      expect(rows[1]).toMatchObject({ provider: 'download', purpose: 'download', httpStatus: 200, bytesReceived: Buffer.byteLength(body) });
      expect(audit.verify().ok).toBe(true);
    } finally {
      store.dispose();
    }
  });

  it('records bytes, status, request id and tokens per call; prompt text only when opted in', async () => {
    await using h = await providerHarness();
    await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    await call(h.app, 'settings.set', { key: 'auditPromptText', value: true });
    await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {}));
    const rows = ((await call(h.app, 'audit.list', {})) as { data: { rows: Array<Record<string, unknown>> } }).data.rows;
    const [compat, openai] = rows;
    expect(openai).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', inputTokens: 12, outputTokens: 4, status: 'ok', httpStatus: 200, promptText: null, responseText: null });
    expect(openai!.host).toBe(`127.0.0.1:${h.servers.openai.port}`);
    expect(openai!.bytesSent).toBe(Buffer.byteLength(h.servers.openai.generationRequests[0]!.body));
    expect(openai!.bytesReceived as number).toBeGreaterThan(500);
    expect(openai!.requestId).toBe('req_fake_1');
    expect(compat).toMatchObject({ provider: 'compat:fake', model: 'fake/llama-3.1-8b-instant', responseText: 'Hello, world!' });
    expect(compat!.promptText).toContain('Say hello.');
  });
});
