import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { ApiStatus } from '../../src/shared/contract';
import { tempDir } from '../helpers/tmp';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the desktop app\'s API port (core listener the Electron shell only starts)', () => {
  it('is off by default, opens on loopback when turned on, follows port changes, closes when turned off', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'desktop', gpu: false, remote: { env: {} } });
    const call = async (route: string, input: unknown): Promise<unknown> => {
      const r = await app.router.handle(route, input, { transport: 'test' });
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    };
    const events: ApiStatus[] = [];
    app.bus.on('api.status', (s) => void events.push(s));
    const { key } = (await call('api.keys.create', { name: 'ide' })) as { key: string };

    // Before the shell starts it (and in serve or the CLI, which never do) there is no listener to report.
    expect(((await call('api.status', {})) as ApiStatus).listener).toBeNull();
    const initial = await app.api.listener.start();
    expect(initial).toMatchObject({ enabled: false, running: false, host: '127.0.0.1', baseUrl: null });

    const port = await freePort();
    await call('settings.set', { key: 'apiServerPort', value: port });
    await call('settings.set', { key: 'apiServerEnabled', value: true });
    const waitFor = async (pred: (s: ApiStatus) => boolean): Promise<ApiStatus> => {
      for (let i = 0; i < 200; i++) {
        const s = (await call('api.status', {})) as ApiStatus;
        if (pred(s)) return s;
        await sleep(10);
      }
      throw new Error('the listener did not reach the expected state');
    };
    const on = await waitFor((s) => s.listener?.running === true);
    expect(on.listener!.baseUrl).toBe(`http://127.0.0.1:${port}/v1`);
    expect(on.baseUrls).toEqual([`http://127.0.0.1:${port}/v1`]);
    expect(events.some((e) => e.listener?.running)).toBe(true);

    const models = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { object: string }).object).toBe('list');
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);

    // A port another program holds: the state says so instead of failing silently.
    const blocker = createServer();
    const taken = await freePort();
    await new Promise<void>((resolve) => blocker.listen(taken, '127.0.0.1', resolve));
    try {
      await call('settings.set', { key: 'apiServerPort', value: taken });
      const failed = await waitFor((s) => s.listener?.error !== null && s.listener?.error !== undefined);
      expect(failed.listener!.error).toMatch(new RegExp(`Port ${taken} .* in use`));
      expect(failed.listener!.running).toBe(false);
      await expect(fetch(`http://127.0.0.1:${port}/v1/models`)).rejects.toThrow();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }

    await call('settings.set', { key: 'apiServerPort', value: port });
    await waitFor((s) => s.listener?.running === true);
    await call('settings.set', { key: 'apiServerEnabled', value: false });
    const off = await waitFor((s) => s.listener?.running === false);
    expect(off.baseUrls).toEqual([]);
    await expect(fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { Authorization: `Bearer ${key}` } })).rejects.toThrow();
  });
});
