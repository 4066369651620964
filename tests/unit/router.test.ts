import { describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../../src/shared/contract';
import { EventBus } from '../../src/main/core/events/EventBus';
import { SettingsService } from '../../src/main/core/settings/SettingsService';
import { SettingsRepository } from '../../src/main/core/store/SettingsRepository';
import { Store } from '../../src/main/core/store/Store';
import { appHandlers, settingsHandlers } from '../../src/main/ipc/handlers/appHandlers';
import { Router, type Handlers } from '../../src/main/ipc/Router';
import { tempDir } from '../helpers/tmp';
import { join } from 'node:path';

const info: AppInfo = {
  name: 'Parity', version: '0', dataDir: '/x', databasePath: '/x/db', schemaVersion: 1, nodeVersion: '22',
  electronVersion: null, chromeVersion: null, platform: 'linux', arch: 'x64', mode: 'cli', store: { integrity: 'ok', readOnly: false, message: null },
};

function setup(dir: string) {
  const store = Store.open({ path: join(dir, 'p.db') });
  const settings = new SettingsService(new SettingsRepository(store), new EventBus());
  const set = vi.spyOn(settings, 'set');
  // Only the routes under test; the full map is checked by tsc in app.ts.
  const router = new Router({ ...appHandlers(() => info), ...settingsHandlers(settings) } as Handlers);
  return { store, router, set };
}

describe('Router', () => {
  it('rejects invalid input naming the field, without calling the service', async () => {
    using dir = tempDir();
    const { router, set, store } = setup(dir.path);
    const result = await router.handle('settings.set', { key: 'defaultThreads', value: 'four' }, { transport: 'test' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION_FAILED');
    expect(result.error.details?.field).toBe('value');
    expect(result.error.message).toContain('defaultThreads');
    expect(set).not.toHaveBeenCalled();
    store.dispose();
  });

  it('rejects an unknown setting key naming the key field', async () => {
    using dir = tempDir();
    const { router, store } = setup(dir.path);
    const result = await router.handle('settings.get', { key: 'nope' }, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'key' } } });
    store.dispose();
  });

  it('rejects unexpected extra fields on strict inputs', async () => {
    using dir = tempDir();
    const { router, store } = setup(dir.path);
    const result = await router.handle('app.info', { evil: true }, { transport: 'test' });
    expect(result.ok).toBe(false);
    store.dispose();
  });

  it('returns UNKNOWN_ROUTE for a route not in the contract', async () => {
    using dir = tempDir();
    const { router, store } = setup(dir.path);
    const result = await router.handle('fs.readAnything', {}, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ROUTE' } });
    store.dispose();
  });

  it('round-trips a valid setting through the store', async () => {
    using dir = tempDir();
    const { router, store } = setup(dir.path);
    expect(await router.handle('settings.set', { key: 'theme', value: 'dark' }, { transport: 'test' })).toEqual({ ok: true, data: { key: 'theme', value: 'dark' } });
    expect(await router.handle('settings.get', { key: 'theme' }, { transport: 'test' })).toEqual({ ok: true, data: { key: 'theme', value: 'dark' } });
    store.dispose();
  });

  it('app.pickPath says it needs the desktop app when no picker is wired, and passes validated input to one', async () => {
    using dir = tempDir();
    const { router, store } = setup(dir.path);
    expect(await router.handle('app.pickPath', { kind: 'file' }, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    const seen: unknown[] = [];
    const withPicker = new Router({ ...appHandlers(() => info, async (req) => (seen.push(req), '/models/a.gguf')) } as Handlers);
    expect(await withPicker.handle('app.pickPath', { kind: 'file', extensions: ['gguf'] }, { transport: 'test' })).toEqual({ ok: true, data: { path: '/models/a.gguf' } });
    expect(await withPicker.handle('app.pickPath', { kind: 'file', extensions: ['../x'] }, { transport: 'test' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(seen).toEqual([{ kind: 'file', extensions: ['gguf'] }]);
    store.dispose();
  });

  it('turns a throwing handler into an error result with its code', async () => {
    using dir = tempDir();
    const { store } = setup(dir.path);
    const router = new Router({
      'app.info': () => { throw new Error('boom'); },
      'settings.get': () => { throw new Error('x'); },
      'settings.getAll': () => ({}),
      'settings.set': () => { throw new Error('x'); },
    } as never);
    const result = await router.handle('app.info', {}, { transport: 'test' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('boom') } });
    store.dispose();
  });
});
