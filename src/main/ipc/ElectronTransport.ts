import type { EventBus } from '../core/events/EventBus';
import type { Router } from './Router';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../shared/contract/transport';
import { isBroadcastEvent } from '../../shared/contract';
import type { Result } from '../../shared/errors';

/** The parts of Electron's ipcMain and webContents this transport uses; shell/ passes the real ones. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}
/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface IpcInvokeEventLike {
  /** The webContents that sent the request. */
  sender?: unknown;
  /** The frame that sent it; null once that frame navigated away or was destroyed. */
  senderFrame?: { url: string; parent: unknown } | null;
}

export interface ElectronTransportOptions {
  /** Origins the app's own page is loaded from (see `pageOrigin`): the dev server, or `file://`. */
  allowedOrigins: readonly string[];
  /** Whether a webContents belongs to one of the app's own windows; the shell knows its windows. */
  isAppContents: (sender: unknown) => boolean;
}

/** `file:` URLs have an opaque origin ("null"); the app's built page is recognised by its scheme. */
export function pageOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'file://' : parsed.origin;
  } catch {
    return null;
  }
}

const REFUSED: Result<never> = {
  ok: false,
  error: { code: 'VALIDATION_FAILED', message: "Request refused: it did not come from Parity's own window." },
};

/**
 * The router over Electron IPC. Results are always resolved (never rejected), because a
 * rejected `invoke` loses the error's code and details on the way to the renderer.
 *
 * Only the app window's top frame, on the app's own origin, is served (Electron's checklist:
 * validate the sender of every IPC message). An iframe, or a page the window was somehow
 * navigated to, gets the preload's `request` too, so the channel alone proves nothing.
 */
export class ElectronTransport implements Disposable {
  readonly #ipcMain: IpcMainLike;
  readonly #unsubscribe: () => void;

  constructor(ipcMain: IpcMainLike, router: Router, bus: EventBus, targets: () => EventTarget[], options: ElectronTransportOptions) {
    this.#ipcMain = ipcMain;
    ipcMain.handle(IPC_REQUEST_CHANNEL, (event, route, input) => {
      if (!isTrustedSender(event, options)) return REFUSED;
      return router.handle(typeof route === 'string' ? route : '', input, { transport: 'electron' });
    });
    this.#unsubscribe = bus.onAny((name, payload) => {
      if (!isBroadcastEvent(name)) return;
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

function isTrustedSender(event: IpcInvokeEventLike | null | undefined, options: ElectronTransportOptions): boolean {
  const frame = event?.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const origin = pageOrigin(frame.url);
  if (origin === null || !options.allowedOrigins.includes(origin)) return false;
  return options.isAppContents(event.sender);
}
