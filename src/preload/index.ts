import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

// Channel names duplicated from main/ipc/ElectronTransport: a sandboxed preload bundles alone.
const REQUEST = 'parity:request';
const EVENT = 'parity:event';

contextBridge.exposeInMainWorld('parity', {
  request: (route: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(REQUEST, String(route), input),
  on: (event: string, callback: (payload: unknown) => void): (() => void) => {
    const listener = (_e: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on(EVENT, listener);
    return () => {
      ipcRenderer.removeListener(EVENT, listener);
    };
  },
});
