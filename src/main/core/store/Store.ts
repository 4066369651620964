import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { StoreHealth } from '../../../shared/contract/app';
import { mapSqliteError, StoreNewerSchemaError } from './errors';
import { quickCheckInChunks, type IntegrityReport } from './integrityCheck';
import { MIGRATIONS, type Migration } from './migrations';
import { canOpenInPlace, createPrivateFile, databaseFiles, isReadOnlyDatabase, readSnapshot, tightenPermissions } from './storeFiles';

export type SqliteDatabase = BetterSqlite3.Database;

export interface StoreOptions {
  path: string;
  migrations?: readonly Migration[];
  /** How long to wait for a lock held by another connection before giving up. */
  busyTimeoutMs?: number;
}

interface Opened {
  db: SqliteDatabase;
  /** Set when the file cannot be written; the message is what a user reads. */
  readOnlyMessage: string | null;
  /** The connection holds an in-memory copy of the file rather than the file itself. */
  snapshot: boolean;
}

/**
 * The local SQLite store: opens (creating if needed), checks the schema version, migrates.
 * Repositories get the connection from here; SQL never leaves core/store.
 *
 * A file that cannot be written is opened for reading only, and a file that fails the background
 * integrity check is switched to reading only: reading commands keep working, writes get
 * STORE_READ_ONLY, and `health()` says why so the UI can show it.
 */
export class Store implements Disposable {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly schemaVersion: number;
  #health: StoreHealth;
  #check: Promise<StoreHealth> | null = null;
  readonly #stopCheck = new AbortController();

  private constructor(path: string, opened: Opened, schemaVersion: number) {
    this.path = path;
    this.db = opened.db;
    this.schemaVersion = schemaVersion;
    this.#health = { integrity: 'unchecked', readOnly: opened.readOnlyMessage !== null, message: opened.readOnlyMessage };
  }

  static open(options: StoreOptions): Store {
    const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
    const latest = migrations.at(-1)?.version ?? 0;
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    let opened: Opened | undefined;
    try {
      opened = isReadOnlyDatabase(options.path) ? openReadOnly(options) : openWritable(options);
      const { db } = opened;
      // Reading the header first: a non-database file fails here, before anything is written.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > latest) throw new StoreNewerSchemaError(options.path, current, latest);
      const pending = migrations.filter((m) => m.version > current);
      if (opened.readOnlyMessage !== null) {
        if (pending.length > 0) {
          throw new AppError(
            'STORE_READ_ONLY',
            `The database at ${options.path} needs upgrading (schema ${current} → ${latest}), but the file or its folder is read-only. Make it writable (for example chmod u+w) and start Parity once; the file was left untouched.`,
            { path: options.path, found: current, supported: latest },
          );
        }
        return new Store(options.path, opened, current);
      }
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      // Conversations are private: an install from before this rule had a 0644 file and -wal.
      tightenPermissions(databaseFiles(options.path));
      if (pending.length > 0) {
        db.transaction(() => {
          for (const migration of pending) {
            db.exec(migration.sql);
            db.pragma(`user_version = ${migration.version}`);
          }
        }).immediate();
      }
      return new Store(options.path, opened, Math.max(current, latest));
    } catch (error) {
      opened?.db.close();
      throw mapSqliteError(error, options.path);
    }
  }

  /** Writable, integrity, and the message to show when something is wrong. */
  health(): StoreHealth {
    return { ...this.#health };
  }

  /**
   * Starts `PRAGMA quick_check` without blocking start-up (a table per event-loop turn, see integrityCheck)
   * and resolves with the new health. A damaged file switches this connection to read-only, so
   * nothing more is written on top of the damage.
   */
  checkIntegrity(): Promise<StoreHealth> {
    this.#check ??= this.#runCheck();
    return this.#check;
  }

  async #runCheck(): Promise<StoreHealth> {
    this.#health = { ...this.#health, integrity: 'checking' };
    const signal = this.#stopCheck.signal;
    const report: IntegrityReport = await quickCheckInChunks(this.db, { signal });
    if (report.status !== 'damaged') {
      this.#health = { ...this.#health, integrity: report.status };
      return this.health();
    }
    if (this.db.open) this.db.pragma('query_only = ON');
    this.#health = {
      integrity: 'damaged',
      readOnly: true,
      message:
        `The database at ${this.path} is damaged (${report.problems[0] ?? 'integrity check failed'}). ` +
        'Parity stopped writing to it so nothing more is lost: you can still read and export. Quit Parity, move the file aside (or restore a backup) and start again.',
    };
    return this.health();
  }

  /** Runs `fn` in one immediate transaction, mapping SQLite failures to actionable errors. */
  transaction<T>(fn: () => T): T {
    try {
      // BEGIN IMMEDIATE takes the write lock, which a read-only connection refuses even for a
      // transaction that only reads; deferred lets those run and still refuses any write inside.
      const tx = this.db.transaction(fn);
      return this.#health.readOnly ? tx.deferred() : tx.immediate();
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /** Wraps a single statement call so disk-full and lock errors read well. */
  run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.#mapError(error);
    }
  }

  /**
   * A start-up repair (marking generations a crash interrupted). Skipped on a read-only store, so
   * a reading command still starts: the next start with a writable file does the repair.
   */
  repair(fn: () => number): number {
    return this.#health.readOnly ? 0 : this.run(fn);
  }

  #mapError(error: unknown): unknown {
    const code = String((error as { code?: unknown } | null)?.code ?? '');
    if (this.#health.readOnly && code.startsWith('SQLITE_READONLY')) {
      return new AppError('STORE_READ_ONLY', `Nothing can be saved right now. ${this.#health.message ?? ''}`.trim(), { path: this.path, integrity: this.#health.integrity }, { cause: error });
    }
    return mapSqliteError(error, this.path);
  }

  dispose(): void {
    this.#stopCheck.abort();
    if (this.db.open) this.db.close();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

function openWritable(options: StoreOptions): Opened {
  createPrivateFile(options.path);
  return { db: new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs ?? 2000 }), readOnlyMessage: null, snapshot: false };
}

/**
 * Opens without creating or changing any file. With its -wal and -shm present SQLite reads the file
 * in place; without them it would create both next to a file it must not touch (or fail in a
 * read-only folder), so it reads an in-memory copy instead, which costs memory the size of the file.
 */
function openReadOnly(options: StoreOptions): Opened {
  const inPlace = canOpenInPlace(options.path);
  const db = inPlace
    ? new BetterSqlite3(options.path, { readonly: true, fileMustExist: true, timeout: options.busyTimeoutMs ?? 2000 })
    : new BetterSqlite3(readSnapshot(options.path), { readonly: true });
  db.pragma('query_only = ON');
  return {
    db,
    snapshot: !inPlace,
    readOnlyMessage: `The database at ${options.path} is read-only (the file or its folder cannot be written), so Parity opened it for reading: you can browse and export, but nothing new is saved. Make it writable and restart Parity to save again.`,
  };
}

export function assertStoreOpen(store: Store): void {
  if (!store.db.open) throw new AppError('INTERNAL', 'The local store is closed.');
}
