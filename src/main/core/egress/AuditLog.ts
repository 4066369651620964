import { createHash } from 'node:crypto';
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

/**
 * The append-only egress log. Each row stores sha256(prevHash + canonical row): editing any row,
 * or deleting one in the middle, breaks the chain at that row.
 */
export class AuditLog {
  readonly #repo: AuditRepository;

  constructor(repo: AuditRepository) {
    this.#repo = repo;
  }

  append(row: AuditRowInput): AuditRow {
    return this.#repo.append(row, chainHash);
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
    for (const row of this.#repo.iterate()) {
      n += 1;
      if (row.prevHash !== prev) return { ok: false, rows: n, brokenAtId: row.id, brokenAtRow: n, reason: 'the row does not link to the row before it (a row was deleted or reordered)' };
      const { id: _id, prevHash: _p, hash, ...fields } = row;
      if (chainHash(prev, fields) !== hash) return { ok: false, rows: n, brokenAtId: row.id, brokenAtRow: n, reason: 'the row was edited after it was written' };
      prev = hash;
    }
    return { ok: true, rows: n, brokenAtId: null, brokenAtRow: null, reason: null };
  }
}
