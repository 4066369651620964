import { z } from 'zod';
import type { Store } from './Store';

const SecretRowSchema = z.object({ name: z.string(), ciphertext: z.instanceof(Buffer), last4: z.string(), protection: z.string() });
export type SecretRow = z.infer<typeof SecretRowSchema>;

/** Stores ciphertext only; encryption happens in core/keys before anything reaches here. */
export class SecretRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get(name: string): SecretRow | null {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT name, ciphertext, last4, protection FROM secrets WHERE name = ?').get(name));
    return row === undefined ? null : SecretRowSchema.parse(row);
  }

  set(row: SecretRow): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO secrets (name, ciphertext, last4, protection, updated_at) VALUES (@name, @ciphertext, @last4, @protection, @now)
           ON CONFLICT(name) DO UPDATE SET ciphertext = excluded.ciphertext, last4 = excluded.last4,
             protection = excluded.protection, updated_at = excluded.updated_at`,
        )
        .run({ ...row, now: new Date().toISOString() }),
    );
  }

  delete(name: string): void {
    this.#store.run(() => this.#store.db.prepare('DELETE FROM secrets WHERE name = ?').run(name));
  }
}
