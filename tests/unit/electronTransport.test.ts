import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/core/events/EventBus';
import { ElectronTransport, pageOrigin, type IpcInvokeEventLike, type IpcMainLike } from '../../src/main/ipc/ElectronTransport';
import { Router, type Handlers } from '../../src/main/ipc/Router';
import { appHandlers } from '../../src/main/ipc/handlers/appHandlers';
import type { AppInfo } from '../../src/shared/contract';
import { IPC_REQUEST_CHANNEL } from '../../src/shared/contract/transport';

const info: AppInfo = {
  name: 'Parity', version: '0', dataDir: '/x', databasePath: '/x/db', schemaVersion: 1, nodeVersion: '22',
  electronVersion: null, chromeVersion: null, platform: 'linux', arch: 'x64', mode: 'desktop', store: { integrity: 'ok', readOnly: false, message: null },
};

/** Stands in for Electron's ipcMain: records the handler so the test can invoke it with any event. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: IpcInvokeEventLike, route: string, input: unknown): Promise<unknown> {
    return Promise.resolve(this.handlers.get(IPC_REQUEST_CHANNEL)!(event, route, input));
  }
}

function setup() {
  const ipc = new FakeIpcMain();
  const appWindow = { id: 'app-window' };
  const router = new Router({ ...appHandlers(() => info) } as Handlers);
  const transport = new ElectronTransport(ipc, router, new EventBus(), () => [], {
    allowedOrigins: ['file://'],
    isAppContents: (sender) => sender === appWindow,
  });
  const top = { url: 'file:///opt/Parity/resources/app/out/renderer/index.html', parent: null };
  return { ipc, appWindow, transport, top };
}

describe('ElectronTransport sender check', () => {
  it("serves the app window's own top frame", async () => {
    const { ipc, appWindow, top } = setup();
    expect(await ipc.invoke({ sender: appWindow, senderFrame: top }, 'app.info', {})).toMatchObject({ ok: true, data: { name: 'Parity' } });
  });

  it('refuses a sub-frame of the app window, even on the same origin', async () => {
    const { ipc, appWindow, top } = setup();
    const child = { url: 'file:///opt/Parity/resources/app/out/renderer/index.html', parent: top };
    expect(await ipc.invoke({ sender: appWindow, senderFrame: child }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/own window/) } });
  });

  it('refuses a top frame on another origin and a frame that is gone', async () => {
    const { ipc, appWindow } = setup();
    for (const senderFrame of [{ url: 'https://evil.example/', parent: null }, { url: 'not a url', parent: null }, null, undefined]) {
      expect(await ipc.invoke({ sender: appWindow, senderFrame }, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it("refuses a top frame on the app's origin in a webContents that is not one of its windows", async () => {
    const { ipc, top } = setup();
    expect(await ipc.invoke({ sender: { id: 'some-other-contents' }, senderFrame: top }, 'app.info', {})).toMatchObject({ ok: false });
  });

  it('serves the dev server origin when the shell allows it, and removes its handler on dispose', async () => {
    const ipc = new FakeIpcMain();
    const sender = {};
    const transport = new ElectronTransport(ipc, new Router({ ...appHandlers(() => info) } as Handlers), new EventBus(), () => [], {
      allowedOrigins: [pageOrigin('http://localhost:5173/')!],
      isAppContents: (s) => s === sender,
    });
    expect(await ipc.invoke({ sender, senderFrame: { url: 'http://localhost:5173/#/chat', parent: null } }, 'app.info', {})).toMatchObject({ ok: true });
    expect(await ipc.invoke({ sender, senderFrame: { url: 'http://localhost:5174/', parent: null } }, 'app.info', {})).toMatchObject({ ok: false });
    transport.dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it("sends windows the app's events but never an in-process answer's text (chat.complete.delta)", () => {
    const bus = new EventBus();
    const sent: Array<[string, string, unknown]> = [];
    const window = { isDestroyed: () => false, send: (channel: string, name: string, payload: unknown) => sent.push([channel, name, payload]) };
    const transport = new ElectronTransport(new FakeIpcMain(), new Router({ ...appHandlers(() => info) } as Handlers), bus, () => [window], {
      allowedOrigins: ['file://'],
      isAppContents: () => true,
    });
    bus.emit('chat.complete.delta', { requestId: 'r1', text: 'a private answer' });
    bus.emit('settings.changed', { key: 'theme', value: 'light' });
    expect(sent.map(([, name]) => name)).toEqual(['settings.changed']);
    transport.dispose();
  });
});
