import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AuditChainKey, ChainKey } from './AuditChainKey';
import type { AuditRepository, AuditRow, AuditRowInput } from './AuditRepository';
import { keyedChainHash } from './chainHash';
import { BREAK_MARKER, verifyChain, type AuditHead, type AuditVerifyResult } from './verifyChain';

export type { AuditVerifyResult } from './verifyChain';

/** What a caller knows about one exchange; the log fills in the rest. */
export type AuditRecord = Partial<AuditRowInput> & Pick<AuditRowInput, 'provider' | 'host' | 'status'>;

export interface AuditLogOptions {
  /** Holds the HMAC key; without it the chain could be recomputed by anyone who edits the file. */
  key: AuditChainKey;
  /**
   * A file outside the database holding the newest row's id and hash. Without it, deleting the
   * newest rows leaves a chain that still verifies; with it, a reviewer sees they are gone.
   */
  headFile?: string;
  now?: () => Date;
}

/**
 * The append-only egress log and the only writer of its rows. Each row stores
 * HMAC-SHA256(key, prevHash + canonical row): editing, reordering or recomputing rows without the
 * key breaks the chain; id gaps show deleted rows; the head file shows deleted newest rows. A break
 * found before an append is written into the chain as a marker row, so it cannot be papered over.
 */
export class AuditLog {
  readonly #repo: AuditRepository;
  readonly #key: AuditChainKey;
  readonly #headFile: string | null;
  readonly #now: () => Date;

  constructor(repo: AuditRepository, options: AuditLogOptions) {
    this.#repo = repo;
    this.#key = options.key;
    this.#headFile = options.headFile ?? null;
    this.#now = options.now ?? (() => new Date());
  }

  /** Appends one row; never throws into the request being audited (a failed write is logged). */
  record(entry: AuditRecord): AuditRow | null {
    return this.recordAll([entry])[0] ?? null;
  }

  /**
   * Appends rows that belong together (a policy decision and the request it let through) in one
   * transaction: one commit instead of one per row. Never throws; a failed write is logged.
   */
  recordAll(entries: AuditRecord[]): AuditRow[] {
    try {
      return this.#append(entries.map((entry) => this.#complete(entry))).rows;
    } catch (error) {
      console.error('audit log write failed:', error instanceof Error ? error.message : String(error));
      return [];
    }
  }

  #complete(entry: AuditRecord): AuditRowInput {
    return {
      time: this.#now().toISOString(),
      model: null,
      purpose: 'generation',
      inputTokens: null,
      outputTokens: null,
      bytesSent: 0,
      bytesReceived: 0,
      httpStatus: null,
      requestId: null,
      promptText: null,
      responseText: null,
      ...entry,
      };
  }

  page(offset: number, limit: number): { rows: AuditRow[]; total: number } {
    return this.#repo.page(offset, limit);
  }

  /** Tokens of remote generations since `time`, per provider and model (budgets read this). */
  generationUsageSince(time: string): Array<{ provider: string; model: string | null; inputTokens: number; outputTokens: number }> {
    return this.#repo.generationUsageSince(time);
  }

  /** Rows in a time range (ISO; null for open), oldest first. */
  between(since: string | null, until: string | null): AuditRow[] {
    return [...this.#repo.between(since, until)];
  }

  all(): AuditRow[] {
    return [...this.#repo.iterate()];
  }

  /**
   * Checks the chain, id continuity, the head file and the append-only triggers. Missing triggers
   * are tampering: they are recorded in the chain and put back.
   */
  verify(): AuditVerifyResult {
    let triggerReason: string | null = null;
    try {
      // The pre-append checks put the triggers back and record the damage, in one transaction.
      if (this.#repo.damagedTriggers().length > 0) triggerReason = this.#append([]).triggerBreak;
    } catch (error) {
      // A read-only database can still be verified; it just cannot get its triggers back.
      triggerReason = `the append-only triggers are damaged and could not be restored: ${error instanceof Error ? error.message : String(error)}`;
    }
    let key: ChainKey | null | Error;
    try {
      key = this.#key.read();
    } catch (error) {
      key = error instanceof Error ? error : new Error(String(error));
    }
    const result = verifyChain({ rows: this.#repo.iterate(), key, head: this.#headFile ? this.#readHead() : 'not-used' });
    if (result.ok && triggerReason) return { ...result, ok: false, reason: triggerReason };
    return result;
  }

  /**
   * Checks the newest rows against the head file and the triggers, writes a marker row for each
   * break found, then `rows` (if any). One write transaction holds the database lock throughout, so
   * two processes cannot create two keys or interleave a marker.
   */
  #append(rows: AuditRowInput[]): { rows: AuditRow[]; triggerBreak: string | null } {
    const done = this.#repo.transaction(() => {
      const key = this.#key.read() ?? this.#key.create((this.#repo.last()?.id ?? 0) + 1);
      const hashOf = (prev: string, r: AuditRowInput): string => keyedChainHash(key.key, prev, r);
      const headBreak = this.#headBreak(key);
      const triggerBreak = this.#restoreTriggers();
      let last: AuditRow | null = null;
      for (const description of [headBreak, triggerBreak]) if (description) last = this.#repo.append(this.#marker(description), hashOf);
      const appended = rows.map((row) => (last = this.#repo.append(row, hashOf)));
      return { last: last as AuditRow | null, appended, key, triggerBreak };
    });
    if (done.last) this.#writeHead({ id: done.last.id, hash: done.last.hash, keyedFromId: done.key.keyedFromId });
    return { rows: done.appended, triggerBreak: done.triggerBreak };
  }

  /** Why the newest rows are not what the head file says, or null when they are. */
  #headBreak(key: ChainKey): string | null {
    if (!this.#headFile) return null;
    const head = this.#readHead();
    const last = this.#repo.last();
    if (!head) return last && last.id >= key.keyedFromId ? `audit-head.json was missing while rows up to id ${last.id} were keyed` : null;
    if (head.keyedFromId !== undefined && head.keyedFromId !== key.keyedFromId) {
      return `the chain key was replaced (the old one keyed rows from id ${head.keyedFromId}); rows from id ${head.keyedFromId} to ${last?.id ?? 0} cannot be verified`;
    }
    // The head's own row intact with newer rows after it means another process appended in between.
    if (this.#repo.get(head.id)?.hash === head.hash) return null;
    if (!last || last.id < head.id) return `rows ${(last?.id ?? 0) + 1}–${head.id} were deleted (audit-head.json recorded row ${head.id} as the newest)`;
    return `row ${head.id} no longer matches the hash audit-head.json recorded for it`;
  }

  /** Puts back dropped or altered triggers; says what was wrong, for a marker row. */
  #restoreTriggers(): string | null {
    const damaged = this.#repo.damagedTriggers();
    if (damaged.length === 0) return null;
    this.#repo.restoreTriggers(damaged);
    const plural = damaged.length > 1;
    return `the append-only trigger${plural ? 's' : ''} ${damaged.join(', ')} ${plural ? 'were' : 'was'} removed or altered (now re-created)`;
  }

  #marker(description: string): AuditRowInput {
    return {
      ...BREAK_MARKER,
      time: this.#now().toISOString(),
      model: null,
      inputTokens: null,
      outputTokens: null,
      bytesSent: 0,
      bytesReceived: 0,
      status: `tampered: ${description}`,
      httpStatus: null,
      requestId: null,
      promptText: null,
      responseText: null,
    };
  }

  #readHead(): AuditHead | null {
    if (!this.#headFile || !existsSync(this.#headFile)) return null;
    try {
      const head = JSON.parse(readFileSync(this.#headFile, 'utf8')) as Partial<AuditHead>;
      if (typeof head.id !== 'number' || typeof head.hash !== 'string') return null;
      return { id: head.id, hash: head.hash, ...(typeof head.keyedFromId === 'number' ? { keyedFromId: head.keyedFromId } : {}) };
    } catch {
      return null;
    }
  }

  #writeHead(head: AuditHead): void {
    if (!this.#headFile) return;
    // Written whole then renamed, so a crash leaves the old head or the new one, never half.
    const tmp = `${this.#headFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(head), { mode: 0o600 });
    renameSync(tmp, this.#headFile);
  }
}
