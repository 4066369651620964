import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ParityApp } from '../../src/main/app';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

describe('models.* routes through the router', () => {
  const dir = tempDir();
  let app: ParityApp;
  const call = (route: string, input: unknown = {}) => app.router.handle(route, input, { transport: 'test' });

  beforeAll(() => {
    app = createApp({ dataDir: dir.path, mode: 'serve' });
  });
  afterAll(async () => {
    await app.dispose();
    dir[Symbol.dispose]();
  });

  it('reports the hardware and a catalogue with a fit for every entry', async () => {
    const hardware = await call('models.hardware');
    expect(hardware).toMatchObject({ ok: true, data: { backend: expect.any(String), cpuCores: expect.any(Number) } });
    const catalogue = await call('models.catalogue');
    expect(catalogue.ok).toBe(true);
    const entries = (catalogue as { data: Array<{ uri: string; fit: { level: string }; inLibrary: string | null }> }).data;
    expect(entries.length).toBeGreaterThanOrEqual(8);
    for (const entry of entries) expect(['fits', 'tight', 'wont_fit']).toContain(entry.fit.level);
  });

  it('imports (copy by default), gets, lists and removes', async () => {
    const imported = await call('models.import', { path: STORIES_MODEL });
    expect(imported).toMatchObject({ ok: true, data: { alreadyPresent: false, model: { storage: 'copy', architecture: 'llama' } } });
    const id = (imported as { data: { model: { id: string } } }).data.model.id;
    expect(await call('models.get', { id })).toMatchObject({ ok: true, data: { id } });
    expect(await call('models.list')).toMatchObject({ ok: true, data: [{ id }] });
    expect(await call('models.remove', { id })).toEqual({ ok: true, data: { id, fileDeleted: true } });
    expect(await call('models.get', { id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('returns MODEL_INVALID_FILE for a non-GGUF file', async () => {
    const bad = join(dir.path, 'bad.gguf');
    writeFileSync(bad, 'definitely not a gguf model file');
    expect(await call('models.import', { path: bad, mode: 'link' })).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID_FILE' } });
  });

  it('refuses a download that is not https or does not name a .gguf, before any network use', async () => {
    expect(await call('models.download.start', { source: 'http://example.com/x.gguf' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call('models.download.start', { source: 'hf:only/two' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await call('models.download.start', { source: 'x', catalogueId: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('models.download.list')).toEqual({ ok: true, data: [] });
  });

  it('downloads through the app egress path, and the Offline switch blocks it with a reason', async () => {
    const body = readFileSync(STORIES_MODEL);
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(body.length) });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x/y/resolve/main/stories260K.gguf`;
    try {
      const started = await call('models.download.start', { source: url });
      expect(started.ok).toBe(true);
      const done = await app.downloads.waitFor((started as { data: { id: string } }).data.id);
      expect(done).toMatchObject({ status: 'completed' });
      expect((await app.models.get(done.modelId!)).sha256).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');

      expect(await call('settings.set', { key: 'offline', value: true })).toMatchObject({ ok: true });
      const blocked = await call('models.download.start', { source: url.replace('stories260K', 'other') });
      const failed = await app.downloads.waitFor((blocked as { data: { id: string } }).data.id);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/Offline/);
    } finally {
      await call('settings.set', { key: 'offline', value: false });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
