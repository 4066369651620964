import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AuditRepository, AuditRow, AuditRowInput } from '../store/AuditRepository';

export interface AuditVerifyResult {
  ok: boolean;
  rows: number;
  /** Id of the first row whose hash or link does not match, null when intact. */
  brokenAtId: number | null;
  /** 1-based position of that row in the log (what the UI shows as "row N"). */
  brokenAtRow: number | null;
  reason: string | null;
}

const FIELDS: Array<keyof AuditRowInput> = [
  'time', 'provider', 'host', 'model', 'purpose', 'inputTokens', 'outputTokens', 'bytesSent', 'bytesReceived',
  'status', 'httpStatus', 'requestId', 'promptText', 'responseText',
];

/** A fixed field order, so the same row always hashes the same regardless of object key order. */
export function canonicalRow(row: AuditRowInput): string {
  return JSON.stringify(FIELDS.map((f) => row[f] ?? null));
}

export function chainHash(prevHash: string, row: AuditRowInput): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(row)).digest('hex');
}

export interface AuditLogOptions {
  /**
   * A file outside the database holding the newest row's id and hash. Without it, deleting the
   * newest rows leaves a chain that still verifies; with it, a reviewer sees they are gone.
   */
  headFile?: string;
}

interface AuditHead {
  id: number;
  hash: string;
}

/**
 * The append-only egress log. Each row stores sha256(prevHash + canonical row): editing any row,
 * or deleting one in the middle, breaks the chain at that row; the head file catches deleting
 * the newest ones.
 */
export class AuditLog {
  readonly #repo: AuditRepository;
  readonly #headFile: string | null;

  constructor(repo: AuditRepository, options: AuditLogOptions = {}) {
    this.#repo = repo;
    this.#headFile = options.headFile ?? null;
  }

  append(row: AuditRowInput): AuditRow {
    const appended = this.#repo.append(row, chainHash);
    if (this.#headFile) {
      // Written whole then renamed, so a crash leaves the old head or the new one, never half.
      const tmp = `${this.#headFile}.tmp`;
      writeFileSync(tmp, JSON.stringify({ id: appended.id, hash: appended.hash } satisfies AuditHead), { mode: 0o600 });
      renameSync(tmp, this.#headFile);
    }
    return appended;
  }

  #readHead(): AuditHead | null {
    if (!this.#headFile || !existsSync(this.#headFile)) return null;
    try {
      const head = JSON.parse(readFileSync(this.#headFile, 'utf8')) as Partial<AuditHead>;
      return typeof head.id === 'number' && typeof head.hash === 'string' ? { id: head.id, hash: head.hash } : null;
    } catch {
      return null;
    }
  }

  page(offset: number, limit: number): { rows: AuditRow[]; total: number } {
    return this.#repo.page(offset, limit);
  }

  all(): AuditRow[] {
    return [...this.#repo.iterate()];
  }

  verify(): AuditVerifyResult {
    let prev = '';
    let n = 0;
    let lastId: number | null = null;
    for (const row of this.#repo.iterate()) {
      lastId = row.id;
      n += 1;
      if (row.prevHash !== prev) return { ok: false, rows: n, brokenAtId: row.id, brokenAtRow: n, reason: 'the row does not link to the row before it (a row was deleted or reordered)' };
      const { id: _id, prevHash: _p, hash, ...fields } = row;
      if (chainHash(prev, fields) !== hash) return { ok: false, rows: n, brokenAtId: row.id, brokenAtRow: n, reason: 'the row was edited after it was written' };
      prev = hash;
    }
    // A log written before the head file existed has none; then only the chain can be checked.
    const head = this.#readHead();
    if (head && head.hash !== prev) {
      return {
        ok: false,
        rows: n,
        brokenAtId: lastId,
        brokenAtRow: n === 0 ? null : n,
        reason: `the log ends at row ${n}, but its head file records row id ${head.id} as the newest: rows at the end were deleted`,
      };
    }
    return { ok: true, rows: n, brokenAtId: null, brokenAtRow: null, reason: null };
  }
}
