import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type ParityApp } from '../app';
import { defaultDataDir } from '../core/app/dataDir';
import { CONTENT_SECURITY_POLICY } from '../ipc/HttpTransport';
import { ElectronTransport, pageOrigin } from '../ipc/ElectronTransport';
import { SafeStorageCipher } from './SafeStorageCipher';
import { createMainWindow } from './window';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export function runDesktop(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // One data directory for the desktop app, the CLI and `parity serve`.
  app.setPath('userData', defaultDataDir());

  let parity: ParityApp | null = null;
  let transport: ElectronTransport | null = null;
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
      });
    });
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    try {
      parity = createApp({
        dataDir: app.getPath('userData'),
        mode: 'desktop',
        electronVersion: process.versions.electron ?? null,
        chromeVersion: process.versions.chrome ?? null,
        remote: { cipher: new SafeStorageCipher() },
        pickPath: async ({ kind, title, extensions }) => {
          const options: Electron.OpenDialogOptions = {
            title,
            properties: [kind === 'folder' ? 'openDirectory' : 'openFile'],
            filters: kind === 'file' && extensions ? [{ name: extensions.join(', '), extensions }] : undefined,
          };
          const owner = BrowserWindow.getFocusedWindow();
          const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
          return result.canceled ? null : (result.filePaths[0] ?? null);
        },
      });
    } catch (error) {
      dialog.showErrorBox('Parity cannot start', error instanceof Error ? error.message : String(error));
      app.exit(1);
      return;
    }
    const devUrl = process.env.ELECTRON_RENDERER_URL;
    const appOrigin = devUrl ? pageOrigin(devUrl) : 'file://';
    transport = new ElectronTransport(ipcMain, parity.router, parity.bus, () => BrowserWindow.getAllWindows().map((w) => w.webContents), {
      allowedOrigins: appOrigin ? [appOrigin] : [],
      // Every window is the app's own: window.open is denied for all web contents above.
      isAppContents: (sender) => BrowserWindow.getAllWindows().some((w) => w.webContents === sender),
    });
    // The API port (Settings → API) is off unless the user turned it on; it follows the setting from here.
    void parity.api.listener.start();
    mainWindow = createMainWindow(outDir);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(outDir);
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('will-quit', () => {
    transport?.dispose();
    void parity?.dispose();
  });
}
