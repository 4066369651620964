import { z } from 'zod';
import { AuditEntrySchema } from '../../../shared/contract/audit';
import type { Store } from '../store/Store';

// One schema for a row, in the contract: what the renderer receives is exactly what is stored.
export const AuditRowSchema = AuditEntrySchema;
export type AuditRow = z.infer<typeof AuditRowSchema>;
export type AuditRowInput = Omit<AuditRow, 'id' | 'prevHash' | 'hash'>;

const SELECT = `SELECT id, time, provider, host, model, purpose, input_tokens AS inputTokens, output_tokens AS outputTokens,
  bytes_sent AS bytesSent, bytes_received AS bytesReceived, status, http_status AS httpStatus, request_id AS requestId,
  prompt_text AS promptText, response_text AS responseText, prev_hash AS prevHash, hash FROM audit_log`;

/** The append-only triggers of migration 004, kept here so a dropped or neutered one can be put back. */
export const AUDIT_TRIGGERS: Record<string, string> = {
  audit_log_no_update: `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  audit_log_no_delete: `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
};

const normalize = (sql: string): string => sql.replace(/\s+/g, ' ').trim().toLowerCase();

/** Append and read only: there is deliberately no update or delete method. */
export class AuditRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  transaction<T>(fn: () => T): T {
    return this.#store.transaction(fn);
  }

  /** Links the new row to whatever row is last; callers check that this is the row they expect. */
  append(row: AuditRowInput, hashOf: (prevHash: string, row: AuditRowInput) => string): AuditRow {
    return this.#store.transaction(() => {
      const last = this.#store.db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
      const prevHash = last?.hash ?? '';
      const hash = hashOf(prevHash, row);
      const info = this.#store.db
        .prepare(
          `INSERT INTO audit_log (time, provider, host, model, purpose, input_tokens, output_tokens, bytes_sent, bytes_received,
             status, http_status, request_id, prompt_text, response_text, prev_hash, hash)
           VALUES (@time, @provider, @host, @model, @purpose, @inputTokens, @outputTokens, @bytesSent, @bytesReceived,
             @status, @httpStatus, @requestId, @promptText, @responseText, @prevHash, @hash)`,
        )
        .run({ ...row, prevHash, hash });
      return { ...row, id: Number(info.lastInsertRowid), prevHash, hash };
    });
  }

  get(id: number): AuditRow | null {
    const row = this.#store.run(() => this.#store.db.prepare(`${SELECT} WHERE id = ?`).get(id));
    return row === undefined ? null : AuditRowSchema.parse(row);
  }

  last(): AuditRow | null {
    const row = this.#store.run(() => this.#store.db.prepare(`${SELECT} ORDER BY id DESC LIMIT 1`).get());
    return row === undefined ? null : AuditRowSchema.parse(row);
  }

  /** Tokens of remote generations since `time` (ISO), per provider and model: what budgets are spent on. */
  generationUsageSince(time: string): Array<{ provider: string; model: string | null; inputTokens: number; outputTokens: number }> {
    const rows = this.#store.run(() =>
      this.#store.db
        .prepare(
          `SELECT provider, model, COALESCE(SUM(input_tokens), 0) AS inputTokens, COALESCE(SUM(output_tokens), 0) AS outputTokens
           FROM audit_log WHERE purpose = 'generation' AND time >= ? GROUP BY provider, model`,
        )
        .all(time),
    );
    return z.array(z.object({ provider: z.string(), model: z.string().nullable(), inputTokens: z.number(), outputTokens: z.number() })).parse(rows);
  }

  /** Newest first. */
  page(offset: number, limit: number): { rows: AuditRow[]; total: number } {
    return this.#store.run(() => {
      const total = (this.#store.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
      const rows = this.#store.db.prepare(`${SELECT} ORDER BY id DESC LIMIT ? OFFSET ?`).all(limit, offset);
      return { rows: rows.map((r) => AuditRowSchema.parse(r)), total };
    });
  }

  /** Rows with `since <= time < until` (ISO strings; either may be null), oldest first. */
  *between(since: string | null, until: string | null): Generator<AuditRow> {
    const rows = this.#store.db.prepare(`${SELECT} WHERE time >= ? AND time < ? ORDER BY id ASC`).iterate(since ?? '', until ?? '\uffff');
    for (const r of rows) yield AuditRowSchema.parse(r);
  }

  /** Oldest first, for verification and export. */
  *iterate(): Generator<AuditRow> {
    for (const r of this.#store.db.prepare(`${SELECT} ORDER BY id ASC`).iterate()) yield AuditRowSchema.parse(r);
  }

  /** Names of append-only triggers that are gone or no longer what the migration created. */
  damagedTriggers(): string[] {
    const rows = this.#store.run(
      () => this.#store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").all() as Array<{ name: string; sql: string | null }>,
    );
    const present = new Map(rows.map((r) => [r.name, normalize(r.sql ?? '')]));
    return Object.entries(AUDIT_TRIGGERS)
      .filter(([name, sql]) => present.get(name) !== normalize(sql))
      .map(([name]) => name);
  }

  restoreTriggers(names: string[]): void {
    this.#store.transaction(() => {
      for (const name of names) {
        const sql = AUDIT_TRIGGERS[name];
        if (!sql) continue;
        this.#store.db.exec(`DROP TRIGGER IF EXISTS ${name}`);
        this.#store.db.exec(sql);
      }
    });
  }
}
