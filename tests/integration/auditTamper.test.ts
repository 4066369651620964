import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_CHAIN_KEY_NAME, AuditChainKey } from '../../src/main/core/audit/AuditChainKey';
import { AuditLog } from '../../src/main/core/audit/AuditLog';
import { AuditRepository, type AuditRowInput } from '../../src/main/core/audit/AuditRepository';
import { verifySummary } from '../../src/main/core/audit/auditExport';
import { KeyVault } from '../../src/main/core/keys/KeyVault';
import { SecretRepository } from '../../src/main/core/store/SecretRepository';
import { Store } from '../../src/main/core/store/Store';
import { runCli } from '../../src/main/cli/program';
import type { AuditVerify } from '../../src/shared/contract/audit';
import { cliIo } from '../helpers/cli';
import { chainKeyFor } from '../helpers/auditKey';
import { call, collect, providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

const MESSAGES = [{ role: 'user' as const, content: 'hi' }];
const NO_DELETE = "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";
const NO_UPDATE = "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";

async function generate(h: ProviderHarness, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
}

async function verify(h: ProviderHarness): Promise<AuditVerify> {
  const r = await call(h.app, 'audit.verify', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.data as AuditVerify;
}

async function statuses(h: ProviderHarness): Promise<string[]> {
  const r = await call(h.app, 'audit.list', { limit: 500 });
  return r.ok ? (r.data as { rows: Array<{ status: string }> }).rows.map((row) => row.status) : [];
}

/** What someone editing the file without the key can do: delete rows with the triggers briefly dropped. */
function deleteRows(h: ProviderHarness, where: string): void {
  h.app.store.db.exec('DROP TRIGGER audit_log_no_delete');
  h.app.store.db.prepare(`DELETE FROM audit_log ${where}`).run();
  h.app.store.db.exec(NO_DELETE);
}

/** The old, unkeyed chain function, written out here so the test does not trust the code under test. */
function sha256Chain(prev: string, r: AuditRowInput): string {
  const fields = [r.time, r.provider, r.host, r.model, r.purpose, r.inputTokens, r.outputTokens, r.bytesSent, r.bytesReceived, r.status, r.httpStatus, r.requestId, r.promptText, r.responseText];
  return createHash('sha256').update(prev).update('\n').update(JSON.stringify(fields.map((f) => f ?? null))).digest('hex');
}

describe('audit log tampering', () => {
  beforeEach(() => {
    process.exitCode = undefined;
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('deleting the newest rows and then making one more call is detected, and the break stays recorded', async () => {
    await using h = await providerHarness();
    await generate(h, 3);
    deleteRows(h, 'WHERE id >= 2');
    await generate(h, 1);
    const result = await verify(h);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/row ids 2–3 are missing/);
    // The append did not paper over it: a marker row names the missing range, chained like any other row.
    expect((await statuses(h)).some((s) => /^tampered: rows 2–3 were deleted/.test(s))).toBe(true);
    await generate(h, 1);
    expect((await verify(h)).ok).toBe(false);
  });

  it('a log whose every row was deleted fails verification, and `parity audit` exits non-zero in every mode', async () => {
    await using h = await providerHarness();
    await generate(h, 2);
    deleteRows(h, '');
    const result = await verify(h);
    expect(result).toMatchObject({ ok: false, rows: 0 });
    expect(result.reason).toMatch(/rows at the end were deleted/);
    for (const args of [[], ['--json'], ['--export', 'csv'], ['--export', 'json']]) {
      process.exitCode = undefined;
      const out = cliIo();
      expect(await runCli(['--data-dir', h.dataDir, 'audit', ...args], out), args.join(' ')).not.toBe(0);
      expect(out.stdout()).not.toContain('row null');
    }
    const text = cliIo();
    process.exitCode = undefined;
    await runCli(['--data-dir', h.dataDir, 'audit'], text);
    expect(text.stdout()).toContain('CHAIN BROKEN');
  });

  it('a chain recomputed with plain SHA-256 (head file updated too) fails verification', async () => {
    await using h = await providerHarness();
    await generate(h, 3);
    expect((await verify(h)).ok).toBe(true);
    const db = h.app.store.db;
    db.exec('DROP TRIGGER audit_log_no_update');
    const rows = new AuditRepository(h.app.store).page(0, 100).rows.reverse();
    let prev = '';
    for (const row of rows) {
      const { id, prevHash: _p, hash: _h, ...fields } = row;
      const hash = sha256Chain(prev, { ...fields, host: 'somewhere-else.example' });
      db.prepare('UPDATE audit_log SET host = ?, prev_hash = ?, hash = ? WHERE id = ?').run('somewhere-else.example', prev, hash, id);
      prev = hash;
    }
    db.exec(NO_UPDATE);
    const headFile = join(h.dataDir, 'audit-head.json');
    const head = JSON.parse(readFileSync(headFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(headFile, JSON.stringify({ ...head, hash: prev }));
    const result = await verify(h);
    expect(result).toMatchObject({ ok: false, brokenAtRow: 1 });
    expect(result.reason).toMatch(/without the chain key/);
  });

  it('a chain checked with a different key fails verification', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'a.db') });
    try {
      const repo = new AuditRepository(store);
      const log = new AuditLog(repo, { key: chainKeyFor(dir.path, store) });
      for (let i = 0; i < 3; i++) log.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      expect(log.verify().ok).toBe(true);
      const other = JSON.stringify({ key: randomBytes(32).toString('hex'), keyedFromId: 1 });
      const stranger = new AuditLog(repo, { key: new AuditChainKey({ get: () => other, set: () => undefined }) });
      expect(stranger.verify()).toMatchObject({ ok: false, brokenAtRow: 1 });
    } finally {
      store.dispose();
    }
  });

  it('a dropped or neutered trigger is reported as tampering, re-created, and stays recorded', async () => {
    await using h = await providerHarness();
    await generate(h, 1);
    const db = h.app.store.db;
    db.exec('DROP TRIGGER audit_log_no_delete');
    const first = await verify(h);
    expect(first.ok).toBe(false);
    expect(first.reason).toMatch(/trigger audit_log_no_delete was removed or altered/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((await verify(h)).ok).toBe(false);
    expect((await statuses(h))[0]).toMatch(/^tampered: the append-only trigger audit_log_no_delete/);

    db.exec('DROP TRIGGER audit_log_no_update');
    db.exec('CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END');
    expect((await verify(h)).reason).toMatch(/tampering was recorded/);
    expect(() => db.prepare('UPDATE audit_log SET host = 1').run()).toThrow(/append-only/);
  });

  it('an unkeyed log from an older version verifies as before, and is keyed from the next row on', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'a.db') });
    try {
      const repo = new AuditRepository(store);
      const headFile = join(dir.path, 'audit-head.json');
      let last = null;
      for (let i = 0; i < 3; i++) last = repo.append({ time: `2026-01-0${i + 1}T00:00:00.000Z`, provider: 'openai', host: 'api.openai.com', model: null, purpose: 'generation', inputTokens: 1, outputTokens: 2, bytesSent: 3, bytesReceived: 4, status: 'ok', httpStatus: 200, requestId: null, promptText: null, responseText: null }, sha256Chain);
      writeFileSync(headFile, JSON.stringify({ id: last!.id, hash: last!.hash }));
      const log = new AuditLog(repo, { key: chainKeyFor(dir.path, store), headFile });
      expect(log.verify()).toMatchObject({ ok: true, rows: 3, unkeyedRows: 3, keyedFromId: null });
      expect(verifySummary(log.verify())).toBe('chain intact (3 rows; 3 written before the chain was keyed, checked with plain SHA-256 only)');
      log.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      expect(log.verify()).toMatchObject({ ok: true, rows: 4, unkeyedRows: 3, keyedFromId: 4 });
      // From the switch-over on, the plain SHA-256 chain is no longer accepted.
      const row4 = repo.get(4)!;
      const { id: _i, prevHash, hash: _h, ...fields } = row4;
      store.db.exec('DROP TRIGGER audit_log_no_update');
      store.db.prepare('UPDATE audit_log SET hash = ? WHERE id = 4').run(sha256Chain(prevHash, fields));
      store.db.exec(NO_UPDATE);
      expect(log.verify()).toMatchObject({ ok: false, brokenAtId: 4 });
    } finally {
      store.dispose();
    }
  });

  it('a deleted chain key is reported, and a new key does not make the old rows verify', async () => {
    await using h = await providerHarness();
    await generate(h, 2);
    h.app.store.db.prepare('DELETE FROM secrets WHERE name = ?').run(AUDIT_CHAIN_KEY_NAME);
    // A fresh app, as after a restart: nothing cached.
    process.exitCode = undefined;
    const out = cliIo();
    expect(await runCli(['--data-dir', h.dataDir, 'audit', '--json'], out)).toBe(1);
    expect((JSON.parse(out.stdout()) as { verify: AuditVerify }).verify.reason).toMatch(/chain key is missing/);
    // The next writer (here a fresh log on the same files) gets a new key and records that the old one went.
    const next = new AuditLog(new AuditRepository(h.app.store), { key: chainKeyFor(h.dataDir, h.app.store), headFile: join(h.dataDir, 'audit-head.json') });
    next.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
    expect(next.all().map((r) => r.status)).toContainEqual(expect.stringMatching(/^tampered: the chain key was replaced/));
    expect(next.verify()).toMatchObject({ ok: false, brokenAtRow: 1 });
  });

  it('two processes appending in turn (a head file one write behind) is not reported as tampering', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'a.db') });
    try {
      const headFile = join(dir.path, 'audit-head.json');
      const a = new AuditLog(new AuditRepository(store), { key: chainKeyFor(dir.path, store), headFile });
      const b = new AuditLog(new AuditRepository(store), { key: chainKeyFor(dir.path, store), headFile });
      a.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      const staleHead = readFileSync(headFile, 'utf8');
      b.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      writeFileSync(headFile, staleHead);
      expect(a.verify()).toMatchObject({ ok: true, rows: 2 });
      a.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      expect(b.verify()).toMatchObject({ ok: true, rows: 3 });
      expect(a.all().map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    } finally {
      store.dispose();
    }
  });

  it('keeps the chain key with the API keys: the vault\'s cipher protects it, and it is never stored in the clear', async () => {
    await using h = await providerHarness();
    await generate(h, 1);
    const row = h.app.store.db.prepare('SELECT ciphertext, protection FROM secrets WHERE name = ?').get(AUDIT_CHAIN_KEY_NAME) as { ciphertext: Buffer; protection: string };
    expect(row.protection).toBe('master-key-file');
    expect(row.ciphertext.toString('latin1')).not.toMatch(/"key"/);

    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const keychain = { protection: 'os-keychain' as const, isAvailable: () => true, encrypt: (s: string) => Buffer.from([...s].reverse().join('')), decrypt: (b: Buffer) => [...b.toString()].reverse().join('') };
      const vault = new KeyVault({ cipher: keychain, secrets: new SecretRepository(store), env: {} });
      const log = new AuditLog(new AuditRepository(store), { key: new AuditChainKey(vault) });
      log.record({ provider: 'openai', host: 'api.openai.com', status: 'ok' });
      expect(new SecretRepository(store).get(AUDIT_CHAIN_KEY_NAME)?.protection).toBe('os-keychain');
      expect(log.verify().ok).toBe(true);
    } finally {
      store.dispose();
    }
  });
});
