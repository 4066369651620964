import { createHash, createHmac } from 'node:crypto';
import type { AuditRowInput } from './AuditRepository';

const FIELDS: Array<keyof AuditRowInput> = [
  'time', 'provider', 'host', 'model', 'purpose', 'inputTokens', 'outputTokens', 'bytesSent', 'bytesReceived',
  'status', 'httpStatus', 'requestId', 'promptText', 'responseText',
];

/** A fixed field order, so the same row always hashes the same regardless of object key order. */
export function canonicalRow(row: AuditRowInput): string {
  return JSON.stringify(FIELDS.map((f) => row[f] ?? null));
}

/**
 * The unkeyed chain written before the key existed: anyone who edits the file can recompute it,
 * so it is only accepted for rows older than the key's switch-over point.
 */
export function legacyChainHash(prevHash: string, row: AuditRowInput): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(row)).digest('hex');
}

/** The keyed chain: recomputing it needs the key, which is not in the database. */
export function keyedChainHash(key: Buffer, prevHash: string, row: AuditRowInput): string {
  return createHmac('sha256', key).update(prevHash).update('\n').update(canonicalRow(row)).digest('hex');
}

export const HASH_ALGORITHM = {
  keyed: 'hmac-sha256(chainKey, prevHash + "\\n" + canonicalRow)',
  legacy: 'sha256(prevHash + "\\n" + canonicalRow)',
} as const;
