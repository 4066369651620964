import Papa from 'papaparse';
import type { AuditLog, AuditVerifyResult } from './AuditLog';
import { HASH_ALGORITHM } from './chainHash';

export interface AuditExport {
  format: 'csv' | 'json';
  filename: string;
  content: string;
  verify: AuditVerifyResult;
}

export function verifySummary(verify: AuditVerifyResult): string {
  if (verify.ok) {
    // Say when part of the log has only the unkeyed chain, which anyone editing the file could recompute.
    const unkeyed = verify.unkeyedRows > 0 ? `; ${verify.unkeyedRows} written before the chain was keyed, checked with plain SHA-256 only` : '';
    return `chain intact (${verify.rows} rows${unkeyed})`;
  }
  return `CHAIN BROKEN${verify.brokenAtRow === null ? '' : ` at row ${verify.brokenAtRow}`}: ${verify.reason ?? 'unknown reason'}`;
}

/**
 * The whole log with its hashes and a fresh verification. The keyed part can only be re-checked
 * with the chain key; rows before `keyedFromId` with plain SHA-256 anywhere.
 */
export function auditExport(audit: AuditLog, format: 'csv' | 'json', now = new Date()): AuditExport {
  const verify = audit.verify();
  const rows = audit.all();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const content =
    format === 'json'
      ? JSON.stringify({ exportedAt: now.toISOString(), hashAlgorithm: HASH_ALGORITHM.keyed, legacyHashAlgorithm: HASH_ALGORITHM.legacy, verify, rows }, null, 2)
      : Papa.unparse(rows, { quotes: false, newline: '\n' }) + `\n# verify: ${verifySummary(verify)}\n`;
  return { format, filename: `parity-audit-${stamp}.${format}`, content, verify };
}
