import { z } from 'zod';
import type { ApiKey } from '../../../shared/contract/api';
import type { Store } from './Store';

const RowSchema = z.object({
  id: z.string(),
  name: z.string(),
  last4: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

const COLUMNS = 'id, name, last4, created_at, last_used_at, revoked_at';

function toKey(row: unknown): ApiKey {
  const r = RowSchema.parse(row);
  return { id: r.id, name: r.name, last4: r.last4, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

/** The api_keys table. It never sees a key, only its digest. */
export class ApiKeyRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  insert(key: { id: string; name: string; sha256: string; last4: string; createdAt: string }): void {
    this.#store.run(() =>
      this.#store.db
        .prepare('INSERT INTO api_keys (id, name, key_sha256, last4, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(key.id, key.name, key.sha256, key.last4, key.createdAt),
    );
  }

  list(): ApiKey[] {
    return this.#store.run(() => this.#store.db.prepare(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, rowid DESC`).all()).map(toKey);
  }

  get(id: string): ApiKey | null {
    const row = this.#store.run(() => this.#store.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`).get(id));
    return row === undefined ? null : toKey(row);
  }

  /** The live (not revoked) key with this digest. */
  findActiveBySha256(sha256: string): ApiKey | null {
    const row = this.#store.run(() =>
      this.#store.db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_sha256 = ? AND revoked_at IS NULL`).get(sha256),
    );
    return row === undefined ? null : toKey(row);
  }

  revoke(id: string, at: string): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id));
  }

  touch(id: string, at: string): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id));
  }
}
