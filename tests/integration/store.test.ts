import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { quickCheckInChunks } from '../../src/main/core/store/integrityCheck';
import { Store } from '../../src/main/core/store/Store';
import { MIGRATIONS } from '../../src/main/core/store/migrations';
import { AppError } from '../../src/shared/errors';
import { cliIo } from '../helpers/cli';
import { thrownAppError } from '../helpers/errors';
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

const mode = (path: string): number => statSync(path).mode & 0o777;

/** A store with one conversation of `count` 1 KB messages: enough for the messages table to span many pages. */
function fillMessages(path: string, count: number, conversations = 1): void {
  using store = Store.open({ path });
  const now = new Date().toISOString();
  store.transaction(() => {
    const conversation = store.db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)');
    conversation.run('c1', 'Deep', now, now);
    for (let i = 2; i <= conversations; i++) conversation.run(`c${i}`, `Conversation ${i} `.padEnd(900, 'y'), now, now);
    const insert = store.db.prepare("INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at) VALUES (?, 'c1', 'user', ?, 'complete', ?, ?)");
    for (let i = 0; i < count; i++) insert.run(`m${i}`, `message ${i} `.padEnd(1000, 'x'), now, now);
  });
}

/** Overwrites the header of one leaf page in the middle of `table`, as a bad sector or a torn write would. */
function corruptDeepPage(path: string, table: string): number {
  const raw = new BetterSqlite3(path);
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  const leaves = raw.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
  raw.close();
  const page = leaves[Math.floor(leaves.length / 2)]!;
  expect(page).toBeGreaterThan(10);
  const fd = openSync(path, 'r+');
  const check = Buffer.alloc(1);
  readSync(fd, check, 0, 1, (page - 1) * pageSize);
  expect(check[0]).toBe(0x0d); // a table leaf page
  writeSync(fd, Buffer.alloc(64, 0xee), 0, 64, (page - 1) * pageSize);
  closeSync(fd);
  return page;
}

describe.skipIf(process.platform === 'win32')('Store file permissions', () => {
  it('creates the data directory 0700 and the database, -wal and -shm 0600', async () => {
    using root = tempDir();
    const dataDir = join(root.path, 'fresh', 'Parity');
    await using app = createApp({ dataDir, mode: 'cli', gpu: false, integrityCheck: false });
    app.store.db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run();
    expect(mode(dataDir)).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm']) expect(mode(join(dataDir, `parity.db${suffix}`)), `parity.db${suffix}`).toBe(0o600);
  });

  it('tightens an existing install (0755 folder, 0644 database and key file) on start', async () => {
    using dir = tempDir();
    chmodSync(dir.path, 0o755);
    const db = join(dir.path, 'parity.db');
    const raw = new BetterSqlite3(db);
    raw.pragma('journal_mode = WAL');
    raw.close();
    writeFileSync(join(dir.path, 'secrets.key'), Buffer.alloc(32), { mode: 0o644 });
    chmodSync(db, 0o644);
    chmodSync(join(dir.path, 'secrets.key'), 0o644);
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false, integrityCheck: false });
    app.store.db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run();
    expect(mode(dir.path)).toBe(0o700);
    for (const name of ['parity.db', 'parity.db-wal', 'parity.db-shm', 'secrets.key']) expect(mode(join(dir.path, name)), name).toBe(0o600);
  });
});

describe.skipIf(process.platform === 'win32')('Store on a read-only database', () => {
  for (const how of ['file', 'folder'] as const) {
    it(`opens a read-only ${how} for reading without creating -wal/-shm, and refuses writes clearly`, async () => {
      using dir = tempDir();
      const path = join(dir.path, 'parity.db');
      fillMessages(path, 5);
      const before = readFileSync(path);
      const target = how === 'file' ? path : dir.path;
      chmodSync(target, how === 'file' ? 0o444 : 0o555);
      try {
        using store = Store.open({ path });
        expect(store.health()).toMatchObject({ readOnly: true, message: expect.stringMatching(/read-only/) });
        expect(store.run(() => store.db.prepare('SELECT COUNT(*) AS n FROM messages').get())).toEqual({ n: 5 });
        // A transaction that only reads still runs; one that writes is refused.
        expect(store.transaction(() => store.db.prepare('SELECT COUNT(*) AS n FROM conversations').get())).toEqual({ n: 1 });
        const e = thrownAppError(() => store.run(() => store.db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run()));
        expect(e.code).toBe('STORE_READ_ONLY');
        expect(e.message).toMatch(/Make it writable/);
        expect(thrownAppError(() => store.transaction(() => store.db.prepare("DELETE FROM messages").run())).code).toBe('STORE_READ_ONLY');
        store.dispose();
        expect(readdirSync(dir.path)).toEqual(['parity.db']);
        expect(readFileSync(path).equals(before)).toBe(true);
      } finally {
        chmodSync(target, how === 'file' ? 0o600 : 0o700);
      }
    });
  }

  it('lets reading commands (parity audit, parity models list) run on a read-only database', async () => {
    using dir = tempDir();
    Store.open({ path: join(dir.path, 'parity.db') }).dispose();
    chmodSync(join(dir.path, 'parity.db'), 0o444);
    try {
      const audit = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'audit', '--json'], audit), audit.stderr()).toBe(0);
      expect(JSON.parse(audit.stdout())).toMatchObject({ total: 0 });
      const models = cliIo();
      expect(await runCli(['--data-dir', dir.path, 'models', 'list', '--json'], models), models.stderr()).toBe(0);
      expect(JSON.parse(models.stdout())).toEqual([]);
      expect(existsSync(join(dir.path, 'parity.db-wal'))).toBe(false);
    } finally {
      chmodSync(join(dir.path, 'parity.db'), 0o600);
    }
  });
});

describe('Store integrity check', () => {
  it('finds damage in a deep page in the background and switches the store to read-only', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'parity.db');
    fillMessages(path, 400);
    corruptDeepPage(path, 'messages');
    // Opening reads only the header and the schema, so the damage is not noticed here.
    using store = Store.open({ path });
    expect(store.health()).toMatchObject({ readOnly: false, integrity: 'unchecked' });
    const checking = store.checkIntegrity();
    expect(store.health().integrity).toBe('checking');
    const health = await checking;
    expect(health).toMatchObject({ integrity: 'damaged', readOnly: true, message: expect.stringMatching(/damaged.*move the file aside/s) });
    expect(store.run(() => store.db.prepare('SELECT COUNT(*) AS n FROM conversations').get())).toEqual({ n: 1 });
    const e = thrownAppError(() => store.run(() => store.db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run()));
    expect(e.code).toBe('STORE_READ_ONLY');
    expect(e.message).toMatch(/damaged/);
  });

  it('finds the same damage table by table on the main thread where no worker can start', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'parity.db');
    fillMessages(path, 400);
    using healthy = Store.open({ path });
    expect(await quickCheckInChunks(healthy.db)).toEqual({ status: 'ok', problems: [] });
    healthy.dispose();
    corruptDeepPage(path, 'messages');
    using store = Store.open({ path });
    const report = await quickCheckInChunks(store.db);
    expect(report.status).toBe('damaged');
    expect(report.problems.length).toBeGreaterThan(0);
  });

  it('checks an FTS5 table\'s shadow tables but never runs the virtual table\'s own check (one long step: FTS5 re-reads every row)', async () => {
    using dir = tempDir();
    using store = Store.open({ path: join(dir.path, 'parity.db') });
    store.db.exec("CREATE VIRTUAL TABLE notes_fts USING fts5(body); INSERT INTO notes_fts(body) VALUES ('one'), ('two')");
    const checked: string[] = [];
    const pragma = store.db.pragma.bind(store.db);
    store.db.pragma = ((source: string, options?: { simple?: boolean }) => {
      checked.push(source);
      return pragma(source, options);
    }) as typeof store.db.pragma;
    expect(await quickCheckInChunks(store.db)).toEqual({ status: 'ok', problems: [] });
    expect(checked).toContain('quick_check("notes_fts_data")');
    expect(checked).toContain('quick_check("settings")');
    expect(checked).not.toContain('quick_check("notes_fts")');
  });

  it('reports a healthy file as ok and leaves it writable', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'parity.db');
    fillMessages(path, 50);
    using store = Store.open({ path });
    expect(await store.checkIntegrity()).toEqual({ integrity: 'ok', readOnly: false, message: null });
    store.run(() => store.db.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"', 'now')").run());
  });

  it('tells the app (app.info and an event) when the check finds damage', async () => {
    using dir = tempDir();
    // Conversations, not messages: start-up reads every message (to mark interrupted ones), so
    // damage there already stops start-up with STORE_CORRUPT.
    fillMessages(join(dir.path, 'parity.db'), 1, 400);
    corruptDeepPage(join(dir.path, 'parity.db'), 'conversations');
    await using app = createApp({ dataDir: dir.path, mode: 'serve', gpu: false });
    const event = await new Promise<unknown>((resolve) => app.bus.on('app.storeHealth', resolve));
    expect(event).toMatchObject({ integrity: 'damaged', readOnly: true });
    const info = await app.router.handle('app.info', {}, { transport: 'test' });
    expect(info).toMatchObject({ ok: true, data: { store: { integrity: 'damaged', readOnly: true } } });
  });
});
