import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/main/core/audit/AuditLog';
import { auditExport } from '../../src/main/core/audit/auditExport';
import { AuditRepository, type AuditRowInput } from '../../src/main/core/audit/AuditRepository';
import { Store } from '../../src/main/core/store/Store';
import { chainKeyFor } from '../helpers/auditKey';
import { call, collect, providerHarness } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

function row(i: number): AuditRowInput {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    provider: 'openai',
    host: 'api.openai.com',
    model: 'gpt-4o-mini',
    purpose: 'generation',
    inputTokens: 10 + i,
    outputTokens: 20 + i,
    bytesSent: 100,
    bytesReceived: 2000,
    status: 'ok',
    httpStatus: 200,
    requestId: `req_${i}`,
    promptText: null,
    responseText: null,
  };
}

function withLog(fn: (log: AuditLog, store: Store) => void): void {
  using dir = tempDir();
  const store = Store.open({ path: join(dir.path, 'a.db') });
  try {
    fn(new AuditLog(new AuditRepository(store), { key: chainKeyFor(dir.path, store) }), store);
  } finally {
    store.dispose();
  }
}

describe('audit log', () => {
  it('chains rows and verifies an untouched log', () => {
    withLog((log) => {
      for (let i = 1; i <= 5; i++) log.record(row(i));
      const rows = log.all();
      expect(rows[0]!.prevHash).toBe('');
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
      expect(log.verify()).toEqual({ ok: true, rows: 5, brokenAtId: null, brokenAtRow: null, reason: null, unkeyedRows: 0, keyedFromId: 1 });
    });
  });

  it('rejects UPDATE and DELETE at the SQLite level', () => {
    withLog((log, store) => {
      log.record(row(1));
      expect(() => store.db.prepare('UPDATE audit_log SET output_tokens = 1').run()).toThrow(/append-only/);
      expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    });
  });

  it('detects a row edited with raw SQL (triggers dropped)', () => {
    withLog((log, store) => {
      for (let i = 1; i <= 5; i++) log.record(row(i));
      store.db.exec('DROP TRIGGER audit_log_no_update');
      store.db.prepare('UPDATE audit_log SET output_tokens = 0 WHERE id = 3').run();
      expect(log.verify()).toMatchObject({ ok: false, brokenAtRow: 3, brokenAtId: 3 });
    });
  });

  it('detects a deleted row in the middle', () => {
    withLog((log, store) => {
      for (let i = 1; i <= 5; i++) log.record(row(i));
      store.db.exec('DROP TRIGGER audit_log_no_delete');
      store.db.prepare('DELETE FROM audit_log WHERE id = 2').run();
      const result = log.verify();
      expect(result.ok).toBe(false);
      expect(result.brokenAtId).toBe(3);
      expect(result.reason).toMatch(/deleted/);
    });
  });

  it('detects the newest rows deleted, through the head file kept outside the database', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'a.db') });
    try {
      const headFile = join(dir.path, 'audit-head.json');
      const key = chainKeyFor(dir.path, store);
      const log = new AuditLog(new AuditRepository(store), { key, headFile });
      for (let i = 1; i <= 5; i++) log.record(row(i));
      expect(log.verify().ok).toBe(true);
      store.db.exec('DROP TRIGGER audit_log_no_delete');
      store.db.prepare('DELETE FROM audit_log WHERE id >= 4').run();
      store.db.exec("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END");
      // The chain of rows 1-3 is intact by itself: only the head shows what is missing.
      expect(new AuditLog(new AuditRepository(store), { key }).verify().ok).toBe(true);
      const result = log.verify();
      expect(result).toMatchObject({ ok: false, rows: 3, brokenAtRow: 3 });
      expect(result.reason).toMatch(/rows at the end were deleted/);
    } finally {
      store.dispose();
    }
  });

  it('detects a row whose hash was recomputed but whose successor was not', () => {
    withLog((log, store) => {
      for (let i = 1; i <= 3; i++) log.record(row(i));
      store.db.exec('DROP TRIGGER audit_log_no_update');
      store.db.prepare("UPDATE audit_log SET hash = 'f00d' WHERE id = 2").run();
      expect(log.verify()).toMatchObject({ ok: false, brokenAtRow: 2 });
    });
  });

  it('exports CSV and JSON with hashes and the verify result', () => {
    withLog((log) => {
      for (let i = 1; i <= 3; i++) log.record(row(i));
      const json = auditExport(log, 'json');
      const parsed = JSON.parse(json.content) as { verify: { ok: boolean }; rows: Array<{ hash: string }> };
      expect(parsed.verify.ok).toBe(true);
      expect(parsed.rows.map((r) => r.hash)).toEqual(log.all().map((r) => r.hash));
      const csv = auditExport(log, 'csv');
      const lines = csv.content.trim().split('\n');
      expect(lines[0]).toContain('prevHash');
      expect(lines[0]).toContain('hash');
      expect(lines).toHaveLength(1 + 3 + 1);
      expect(lines.at(-1)).toContain('chain intact');
      expect(csv.filename).toMatch(/\.csv$/);
    });
  });

  it('every remote generation lands in the log through the router, and the chain verifies', async () => {
    await using h = await providerHarness();
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await collect(h.app.generation.stream(h.ref('openai'), messages, {}));
    await collect(h.app.generation.stream(h.ref('google'), messages, {}));
    await collect(h.app.generation.stream(h.ref('anthropic', 'nope'), messages, {})).catch(() => null);
    const list = await call(h.app, 'audit.list', { limit: 2 });
    expect(list.ok && (list.data as { total: number }).total).toBe(3);
    expect(list.ok && (list.data as { rows: unknown[] }).rows).toHaveLength(2);
    expect(await call(h.app, 'audit.verify', {})).toMatchObject({ ok: true, data: { ok: true, rows: 3 } });
    h.app.store.db.exec('DROP TRIGGER audit_log_no_update');
    h.app.store.db.prepare("UPDATE audit_log SET host = 'elsewhere.example' WHERE id = 2").run();
    expect(await call(h.app, 'audit.verify', {})).toMatchObject({ ok: true, data: { ok: false, brokenAtRow: 2 } });
  });
});
