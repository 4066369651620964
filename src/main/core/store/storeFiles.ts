import { accessSync, chmodSync, closeSync, constants, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The files SQLite keeps for one database in WAL mode. */
export function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/**
 * Removes group and other permissions (0755 → 0700, 0644 → 0600) from each path that exists.
 * It only ever takes permissions away: a folder or file the owner made read-only stays read-only.
 * A path we may not chmod (someone else's) is left as it is rather than stopping start-up.
 */
export function tightenPermissions(paths: readonly string[], platform: NodeJS.Platform = process.platform): void {
  // Windows has no mode bits; its ACLs already keep a user's profile folder private.
  if (platform === 'win32') return;
  for (const path of paths) {
    try {
      const mode = statSync(path).mode & 0o777;
      if ((mode & 0o077) !== 0) chmodSync(path, mode & ~0o077);
    } catch {
      // Missing (no -wal yet) or not ours: nothing to tighten.
    }
  }
}

/** Creates an empty database file readable by the owner only, so SQLite never creates it 0644. */
export function createPrivateFile(path: string): void {
  if (existsSync(path)) return;
  try {
    closeSync(openSync(path, 'a', 0o600));
  } catch {
    // An unwritable folder: SQLite's own open fails next, with an error that is mapped for the user.
  }
}

/**
 * Whether an existing database must be opened for reading only: the file or its folder (where the
 * -wal and -shm files go) cannot be written. The owner's write bits count as well as `access()`,
 * because root passes every access check, and a file someone made 0444 is a request to leave it be.
 */
export function isReadOnlyDatabase(path: string, platform: NodeJS.Platform = process.platform): boolean {
  if (!existsSync(path)) return false;
  const folder = dirname(path);
  try {
    accessSync(path, constants.W_OK);
    accessSync(folder, constants.W_OK);
  } catch {
    return true;
  }
  if (platform === 'win32') return false;
  return (statSync(path).mode & 0o200) === 0 || (statSync(folder).mode & 0o200) === 0;
}

/**
 * Whether a read-only connection can open the file in place without creating anything: SQLite
 * needs the -wal and -shm of a WAL database, and would create them next to the file otherwise.
 */
export function canOpenInPlace(path: string): boolean {
  return existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
}

/**
 * The database file's bytes, for an in-memory read-only copy. Bytes 18-19 say "WAL"; an in-memory
 * copy has no WAL, so they are set to the rollback-journal value in the copy (never in the file).
 */
export function readSnapshot(path: string): Buffer {
  const bytes = readFileSync(path);
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return bytes;
}
