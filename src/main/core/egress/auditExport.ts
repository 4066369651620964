import Papa from 'papaparse';
import type { AuditLog, AuditVerifyResult } from './AuditLog';

export interface AuditExport {
  format: 'csv' | 'json';
  filename: string;
  content: string;
  verify: AuditVerifyResult;
}

/** The whole log with its hashes and a fresh verification, so a reviewer can re-check it elsewhere. */
export function auditExport(audit: AuditLog, format: 'csv' | 'json', now = new Date()): AuditExport {
  const rows = audit.all();
  const verify = audit.verify();
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const content =
    format === 'json'
      ? JSON.stringify({ exportedAt: now.toISOString(), hashAlgorithm: 'sha256(prevHash + "\\n" + canonicalRow)', verify, rows }, null, 2)
      : Papa.unparse(rows, { quotes: false, newline: '\n' }) + `\n# verify: ${verify.ok ? 'chain intact' : `chain broken at row ${verify.brokenAtRow}`} (${verify.rows} rows)\n`;
  return { format, filename: `parity-audit-${stamp}.${format}`, content, verify };
}
