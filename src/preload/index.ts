import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL as EVENT, IPC_REQUEST_CHANNEL as REQUEST } from '../shared/contract/transport';

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
