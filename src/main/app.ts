import pkg from '../../package.json';
import type { AppInfo } from '../shared/contract';
import { APP_NAME, databasePath } from './core/app/dataDir';
import { EventBus } from './core/events/EventBus';
import { GenerationService } from './core/generation/GenerationService';
import { ProviderRegistry } from './core/providers/ProviderRegistry';
import { SettingsService } from './core/settings/SettingsService';
import { SettingsRepository } from './core/store/SettingsRepository';
import { Store } from './core/store/Store';
import { appHandlers, settingsHandlers } from './ipc/handlers/appHandlers';
import { Router, type Handlers } from './ipc/Router';

export interface AppOptions {
  dataDir: string;
  mode: AppInfo['mode'];
  electronVersion?: string | null;
  chromeVersion?: string | null;
}

export interface ParityApp extends AsyncDisposable {
  readonly router: Router;
  readonly bus: EventBus;
  readonly store: Store;
  readonly settings: SettingsService;
  readonly providers: ProviderRegistry;
  readonly generation: GenerationService;
  info(): AppInfo;
  dispose(): Promise<void>;
}

/**
 * The composition root: builds every service once, in order, and disposes them in reverse.
 * Electron, `parity serve` and the CLI all start here.
 */
export function createApp(options: AppOptions): ParityApp {
  const disposers: Array<() => void | Promise<void>> = [];
  const bus = new EventBus();
  const store = Store.open({ path: databasePath(options.dataDir) });
  disposers.push(() => store.dispose());
  const settings = new SettingsService(new SettingsRepository(store), bus);
  const providers = new ProviderRegistry();
  const generation = new GenerationService(providers);
  // Domain services are built below, each after what it depends on.

  const info = (): AppInfo => ({
    name: APP_NAME,
    version: pkg.version,
    dataDir: options.dataDir,
    databasePath: store.path,
    schemaVersion: store.schemaVersion,
    nodeVersion: process.versions.node,
    electronVersion: options.electronVersion ?? null,
    chromeVersion: options.chromeVersion ?? null,
    platform: process.platform,
    arch: process.arch,
    mode: options.mode,
  });

  const handlers = {
    ...appHandlers(info),
    ...settingsHandlers(settings),
  } satisfies Handlers;
  const router = new Router(handlers);

  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    for (const d of disposers.reverse()) {
      try {
        await d();
      } catch (error) {
        console.error('dispose failed:', error);
      }
    }
  };

  return { router, bus, store, settings, providers, generation, info, dispose, [Symbol.asyncDispose]: dispose };
}
