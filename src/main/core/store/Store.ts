import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';
import { mapSqliteError, StoreNewerSchemaError } from './errors';
import { MIGRATIONS, type Migration } from './migrations';

export type SqliteDatabase = BetterSqlite3.Database;

export interface StoreOptions {
  path: string;
  migrations?: readonly Migration[];
  /** How long to wait for a lock held by another connection before giving up. */
  busyTimeoutMs?: number;
}

/**
 * The local SQLite store: opens (creating if needed), checks the schema version, migrates.
 * Repositories get the connection from here; SQL never leaves core/store.
 */
export class Store implements Disposable {
  readonly path: string;
  readonly db: SqliteDatabase;
  readonly schemaVersion: number;

  private constructor(path: string, db: SqliteDatabase, schemaVersion: number) {
    this.path = path;
    this.db = db;
    this.schemaVersion = schemaVersion;
  }

  static open(options: StoreOptions): Store {
    const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
    const latest = migrations.at(-1)?.version ?? 0;
    mkdirSync(dirname(options.path), { recursive: true });
    let db: SqliteDatabase | undefined;
    try {
      db = new BetterSqlite3(options.path, { timeout: options.busyTimeoutMs ?? 2000 });
      // Reading the header first: a non-database file fails here, before anything is written.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > latest) throw new StoreNewerSchemaError(options.path, current, latest);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      const pending = migrations.filter((m) => m.version > current);
      if (pending.length > 0) {
        const conn = db;
        conn.transaction(() => {
          for (const migration of pending) {
            conn.exec(migration.sql);
            conn.pragma(`user_version = ${migration.version}`);
          }
        }).immediate();
      }
      return new Store(options.path, db, Math.max(current, latest));
    } catch (error) {
      db?.close();
      throw mapSqliteError(error, options.path);
    }
  }

  /** Runs `fn` in one immediate transaction, mapping SQLite failures to actionable errors. */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      throw mapSqliteError(error, this.path);
    }
  }

  /** Wraps a single statement call so disk-full and lock errors read well. */
  run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw mapSqliteError(error, this.path);
    }
  }

  dispose(): void {
    if (this.db.open) this.db.close();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

export function assertStoreOpen(store: Store): void {
  if (!store.db.open) throw new AppError('INTERNAL', 'The local store is closed.');
}
