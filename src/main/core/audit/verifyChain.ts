import type { AuditVerify } from '../../../shared/contract/audit';
import type { ChainKey } from './AuditChainKey';
import type { AuditRow } from './AuditRepository';
import { keyedChainHash, legacyChainHash } from './chainHash';

export type AuditVerifyResult = AuditVerify;

/** What audit-head.json holds: the newest row when it was written, and the key's switch-over point. */
export interface AuditHead {
  id: number;
  hash: string;
  /** Absent in heads written before the chain was keyed. */
  keyedFromId?: number;
}

/** Rows that record a break found before an append; they stay in the chain for good. */
export const BREAK_MARKER = { provider: 'parity', host: 'localhost', purpose: 'audit-break' } as const;

export interface VerifyChainInput {
  rows: Iterable<AuditRow>;
  /** The chain key, null when none was ever created, or the error reading it. */
  key: ChainKey | null | Error;
  /** Null when the log has no head file configured. */
  head: AuditHead | null | 'not-used';
}

/**
 * Checks, in row order: ids are continuous from 1, each row links to the one before it, each hash
 * matches (HMAC from the key's switch-over point, plain SHA-256 before it), no break marker was
 * recorded; then that the head file agrees with the newest rows.
 */
export function verifyChain({ rows, key, head }: VerifyChainInput): AuditVerifyResult {
  let prev = '';
  let n = 0;
  let unkeyedRows = 0;
  let last: AuditRow | null = null;
  let headRowHash: string | null = null;
  const chainKey = key instanceof Error ? null : key;
  const keyedFromId = chainKey?.keyedFromId ?? null;
  const broken = (row: AuditRow | null, reason: string): AuditVerifyResult => ({
    ok: false, rows: n, brokenAtId: row?.id ?? null, brokenAtRow: row ? n : null, reason, unkeyedRows, keyedFromId,
  });
  if (key instanceof Error) return broken(null, `the chain key cannot be read: ${key.message}`);
  if (!chainKey && head !== 'not-used' && head?.keyedFromId !== undefined) {
    return broken(null, `the chain key is missing, though the head file records that rows from id ${head.keyedFromId} were keyed`);
  }
  for (const row of rows) {
    n += 1;
    const expectedId = (last?.id ?? 0) + 1;
    if (row.id !== expectedId) {
      const range = row.id - 1 === expectedId ? `row id ${expectedId} is` : `row ids ${expectedId}–${row.id - 1} are`;
      return broken(row, `${range} missing: rows were deleted`);
    }
    if (row.prevHash !== prev) return broken(row, 'the row does not link to the row before it (a row was deleted or reordered)');
    const { id: _id, prevHash: _p, hash, ...fields } = row;
    const keyed = chainKey !== null && row.id >= chainKey.keyedFromId;
    const expected = keyed ? keyedChainHash(chainKey.key, prev, fields) : legacyChainHash(prev, fields);
    if (expected !== hash) {
      return broken(row, keyed ? 'the row was edited after it was written, or its hash was recomputed without the chain key' : 'the row was edited after it was written');
    }
    if (!keyed) unkeyedRows += 1;
    if (row.purpose === BREAK_MARKER.purpose && row.provider === BREAK_MARKER.provider) {
      return broken(row, `tampering was recorded before this append: ${row.status}`);
    }
    if (head !== 'not-used' && head && row.id === head.id) headRowHash = row.hash;
    prev = hash;
    last = row;
  }
  if (head !== 'not-used') {
    if (head) {
      // A newer row than the head is fine when the head's own row is intact: another process appended in between.
      if (headRowHash !== head.hash) {
        const reason = !last || last.id < head.id
          ? `the log ends at row id ${last?.id ?? 0}, but audit-head.json records row id ${head.id} as the newest: rows at the end were deleted`
          : `row id ${head.id} does not match the hash audit-head.json recorded for it`;
        return broken(last, reason);
      }
    } else if (chainKey && last && last.id >= chainKey.keyedFromId) {
      return broken(last, 'audit-head.json is missing, though keyed rows were written with it');
    }
  }
  return { ok: true, rows: n, brokenAtId: null, brokenAtRow: null, reason: null, unkeyedRows, keyedFromId };
}
