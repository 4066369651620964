import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';

/** Where the key lives: the KeyVault, so it gets the same protection as the API keys. */
export interface SecretSlot {
  get(name: string): string | null;
  set(name: string, value: string): unknown;
}

export interface ChainKey {
  key: Buffer;
  /**
   * The first row id chained with the key. Older rows were written by a version without a key
   * and are checked with plain SHA-256; kept with the key so editing the database cannot move it.
   */
  keyedFromId: number;
}

export const AUDIT_CHAIN_KEY_NAME = 'parity:audit-chain-key';

/** The HMAC key of the audit chain, created on the first append that needs it. */
export class AuditChainKey {
  readonly #slot: SecretSlot;
  #cached: ChainKey | null = null;

  constructor(slot: SecretSlot) {
    this.#slot = slot;
  }

  /** Null when no key was ever created; throws when one exists but cannot be read. */
  read(): ChainKey | null {
    if (this.#cached) return this.#cached;
    const stored = this.#slot.get(AUDIT_CHAIN_KEY_NAME);
    if (stored === null) return null;
    let parsed: { key?: unknown; keyedFromId?: unknown };
    try {
      parsed = JSON.parse(stored) as typeof parsed;
    } catch {
      parsed = {};
    }
    if (typeof parsed.key !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.key) || !Number.isInteger(parsed.keyedFromId)) {
      throw new AppError('KEY_STORE_UNAVAILABLE', 'The audit log\'s chain key is damaged, so the log cannot be verified. Keep a copy of the data directory for review.');
    }
    this.#cached = { key: Buffer.from(parsed.key, 'hex'), keyedFromId: parsed.keyedFromId as number };
    return this.#cached;
  }

  create(keyedFromId: number): ChainKey {
    const key = randomBytes(32);
    // The key first, so the stored "last four" characters are the id, never key material.
    this.#slot.set(AUDIT_CHAIN_KEY_NAME, JSON.stringify({ key: key.toString('hex'), keyedFromId }));
    // Not cached: if the surrounding transaction rolls back, the next read must not find a key that was never stored.
    return { key, keyedFromId };
  }
}
