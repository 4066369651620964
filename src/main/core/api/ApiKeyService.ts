import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKey, ApiKeyCreated } from '../../../shared/contract/api';
import { NotFoundError } from '../../../shared/errors';
import type { ApiKeyRepository } from '../store/ApiKeyRepository';

/** Every key starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'pk-parity-';

/** How often one key's last-used time is written: a burst of requests is one write, not hundreds. */
const TOUCH_INTERVAL_MS = 10_000;

function sha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface ApiKeyServiceOptions {
  repo: ApiKeyRepository;
  now?: () => Date;
}

/**
 * Keys of the OpenAI-compatible API: random 32 bytes, shown once, stored as SHA-256 (a salt or a
 * slow hash adds nothing for a random 256-bit secret). The serve UI's per-launch token is not one.
 */
export class ApiKeyService {
  readonly #repo: ApiKeyRepository;
  readonly #now: () => Date;
  readonly #touched = new Map<string, number>();

  constructor(options: ApiKeyServiceOptions) {
    this.#repo = options.repo;
    this.#now = options.now ?? (() => new Date());
  }

  create(name: string): ApiKeyCreated {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = { id: randomUUID(), name: name.trim(), sha256: sha256(key), last4: key.slice(-4), createdAt: this.#now().toISOString() };
    this.#repo.insert(record);
    return { id: record.id, name: record.name, last4: record.last4, createdAt: record.createdAt, lastUsedAt: null, revokedAt: null, key };
  }

  list(): ApiKey[] {
    return this.#repo.list();
  }

  revoke(id: string): ApiKey {
    if (!this.#repo.get(id)) throw new NotFoundError('API key', id);
    this.#repo.revoke(id, this.#now().toISOString());
    this.#touched.delete(id);
    return this.#repo.get(id)!;
  }

  /** The live key a bearer token is, or null; marks it used. */
  verify(token: string | undefined | null): ApiKey | null {
    if (!token || !token.startsWith(API_KEY_PREFIX)) return null;
    const key = this.#repo.findActiveBySha256(sha256(token));
    if (!key) return null;
    const now = this.#now();
    const last = this.#touched.get(key.id) ?? 0;
    if (now.getTime() - last >= TOUCH_INTERVAL_MS) {
      this.#touched.set(key.id, now.getTime());
      try {
        this.#repo.touch(key.id, now.toISOString());
      } catch {
        // A read-only or busy store must not refuse a valid key: "last used" is bookkeeping.
      }
    }
    return key;
  }
}
