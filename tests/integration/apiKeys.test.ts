import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, ApiKeyService } from '../../src/main/core/api/ApiKeyService';
import { runCli } from '../../src/main/cli/program';
import { ApiKeyRepository } from '../../src/main/core/store/ApiKeyRepository';
import { Store } from '../../src/main/core/store/Store';
import { tempDir } from '../helpers/tmp';

describe('API keys', () => {
  it('are random, prefixed, stored only as SHA-256, verified, revocable, with a last-used time', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'p.db') });
    try {
      let now = new Date('2026-01-01T00:00:00Z');
      const keys = new ApiKeyService({ repo: new ApiKeyRepository(store), now: () => now });
      const a = keys.create('  notebook ');
      const b = keys.create('ci');
      expect(a.key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(a.key).not.toBe(b.key);
      expect(a.name).toBe('notebook');
      expect(a.last4).toBe(a.key.slice(-4));
      // Nothing in the database is the key; the digest is.
      const rows = store.db.prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>;
      expect(JSON.stringify(rows)).not.toContain(a.key);
      expect(rows.map((r) => r.key_sha256)).toContain(createHash('sha256').update(a.key).digest('hex'));

      expect(keys.verify(a.key)?.id).toBe(a.id);
      expect(keys.verify(`${a.key}x`)).toBeNull();
      expect(keys.verify(undefined)).toBeNull();
      expect(keys.list().find((k) => k.id === a.id)!.lastUsedAt).toBe('2026-01-01T00:00:00.000Z');
      now = new Date('2026-01-01T00:05:00Z');
      keys.verify(a.key);
      expect(keys.list().find((k) => k.id === a.id)!.lastUsedAt).toBe('2026-01-01T00:05:00.000Z');

      const revoked = keys.revoke(a.id);
      expect(revoked.revokedAt).not.toBeNull();
      expect(keys.verify(a.key)).toBeNull();
      expect(keys.verify(b.key)?.name).toBe('ci');
      expect(() => keys.revoke('nope')).toThrow(/not found/);

      // A store that cannot be written (read-only, damaged) still lets a valid key in.
      const failing = new ApiKeyService({
        repo: Object.assign(Object.create(ApiKeyRepository.prototype) as ApiKeyRepository, {
          findActiveBySha256: (sha: string) => new ApiKeyRepository(store).findActiveBySha256(sha),
          touch: () => {
            throw new Error('attempt to write a readonly database');
          },
        }),
      });
      expect(failing.verify(b.key)?.name).toBe('ci');
    } finally {
      store.dispose();
    }
  });

  it('parity api-keys create prints the key once; list shows only the last four; revoke marks it', async () => {
    using dir = tempDir();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'create', 'laptop'], io)).toBe(0);
    const key = out.join('').trim();
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(err.join('')).toMatch(/only time the full key is shown/);
    out.length = 0;
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'list', '--json'], io)).toBe(0);
    const listed = JSON.parse(out.join('')) as Array<{ id: string; name: string; last4: string; revokedAt: string | null }>;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'laptop', last4: key.slice(-4), revokedAt: null });
    expect(out.join('')).not.toContain(key);
    out.length = 0;
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'revoke', listed[0]!.id], io)).toBe(0);
    expect(out.join('')).toMatch(/Revoked API key "laptop"/);
    out.length = 0;
    await runCli(['--data-dir', dir.path, 'api-keys', 'list'], io);
    expect(out.join('')).toMatch(/revoked/);
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'revoke', 'no-such-id'], io)).toBe(1);
    // By name, when one active key has it.
    out.length = 0;
    await runCli(['--data-dir', dir.path, 'api-keys', 'create', 'ci'], io);
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'revoke', 'ci'], io)).toBe(0);
    expect(out.join('')).toMatch(/Revoked API key "ci"/);
    await runCli(['--data-dir', dir.path, 'api-keys', 'create', 'twin'], io);
    await runCli(['--data-dir', dir.path, 'api-keys', 'create', 'twin'], io);
    err.length = 0;
    expect(await runCli(['--data-dir', dir.path, 'api-keys', 'revoke', 'twin'], io)).toBe(1);
    expect(err.join('')).toMatch(/2 active keys are named "twin"/);
  });
});
