import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { tightenPermissions } from '../store/storeFiles';

export const APP_NAME = 'Parity';

/**
 * The per-user data directory, the same one Electron's `app.getPath('userData')` gives for an
 * app named Parity, so the desktop app, the CLI and `parity serve` share one store.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PARITY_DATA_DIR) return env.PARITY_DATA_DIR;
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'parity.db');
}

/**
 * Creates the data directory owner-only (0700) and tightens an existing one and its key files
 * (0755 → 0700, 0644 → 0600): it holds conversations and keys. Never loosens anything.
 */
export function prepareDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  let keyFiles: string[] = [];
  try {
    keyFiles = readdirSync(dataDir).filter((name) => name.endsWith('.key')).map((name) => join(dataDir, name));
  } catch {
    // An unreadable folder fails clearly when the store opens.
  }
  tightenPermissions([dataDir, ...keyFiles], platform);
}
