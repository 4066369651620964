import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/main/core/store/Store';
import { MIGRATIONS } from '../../src/main/core/store/migrations';
import { AppError } from '../../src/shared/errors';
import { tempDir } from '../helpers/tmp';

const latest = MIGRATIONS.at(-1)!.version;

describe('Store', () => {
  it('migrates an empty file to the latest schema in WAL mode', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    using store = Store.open({ path });
    expect(store.schemaVersion).toBe(latest);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(latest);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toContain('settings');
  });

  it('re-running migrations is idempotent and keeps data', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    Store.open({ path }).db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run();
    using again = Store.open({ path });
    expect(again.schemaVersion).toBe(latest);
    expect(again.db.prepare('SELECT value FROM settings WHERE key = ?').get('theme')).toEqual({ value: '"dark"' });
  });

  it('applies only pending migrations, in one transaction', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    Store.open({ path, migrations: MIGRATIONS }).dispose();
    const broken = [...MIGRATIONS, { version: latest + 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' }, { version: latest + 2, name: 'b', sql: 'CREATE TABLE oops (' }];
    expect(() => Store.open({ path, migrations: broken })).toThrow();
    using store = Store.open({ path });
    // The failed batch rolled back whole: table a does not exist, version unchanged.
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    expect(store.db.pragma('user_version', { simple: true })).toBe(latest);
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();
    const before = readFileSync(path);
    let error: unknown;
    try {
      Store.open({ path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORE_NEWER_SCHEMA');
    expect((error as AppError).message).toMatch(/newer version of Parity/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a corrupt file clearly and never overwrites it', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    const garbage = Buffer.from('this is not a sqlite database, it is someone\'s notes'.repeat(100));
    writeFileSync(path, garbage);
    let error: unknown;
    try {
      Store.open({ path });
    } catch (e) {
      error = e;
    }
    expect((error as AppError).code).toBe('STORE_CORRUPT');
    expect((error as AppError).message).toContain(path);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });

  it('reports a database locked by another writer', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    Store.open({ path }).dispose();
    const other = new BetterSqlite3(path);
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE');
    try {
      let error: unknown;
      try {
        Store.open({ path, busyTimeoutMs: 50 }).db.prepare("INSERT INTO settings VALUES ('k', '1', 'now')").run();
      } catch (e) {
        error = e;
      }
      expect((error as AppError).code).toBe('STORE_LOCKED');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
