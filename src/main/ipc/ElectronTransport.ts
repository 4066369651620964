import type { EventBus } from '../core/events/EventBus';
import type { Router } from './Router';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../shared/contract/transport';

/** The parts of Electron's ipcMain and webContents this transport uses; shell/ passes the real ones. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}


/**
 * The router over Electron IPC. Results are always resolved (never rejected), because a
 * rejected `invoke` loses the error's code and details on the way to the renderer.
 */
export class ElectronTransport implements Disposable {
  readonly #ipcMain: IpcMainLike;
  readonly #unsubscribe: () => void;

  constructor(ipcMain: IpcMainLike, router: Router, bus: EventBus, targets: () => EventTarget[]) {
    this.#ipcMain = ipcMain;
    ipcMain.handle(IPC_REQUEST_CHANNEL, (_event, route, input) =>
      router.handle(typeof route === 'string' ? route : '', input, { transport: 'electron' }),
    );
    this.#unsubscribe = bus.onAny((name, payload) => {
      for (const target of targets()) if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, name, payload);
    });
  }

  dispose(): void {
    this.#unsubscribe();
    this.#ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
