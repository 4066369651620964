import { z } from 'zod';
import { route } from './route';

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  time: z.string(),
  provider: z.string(),
  host: z.string(),
  model: z.string().nullable(),
  purpose: z.string(),
  inputTokens: z.number().int().nullable(),
  outputTokens: z.number().int().nullable(),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
  status: z.string(),
  httpStatus: z.number().int().nullable(),
  requestId: z.string().nullable(),
  promptText: z.string().nullable(),
  responseText: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  brokenAtId: z.number().int().nullable(),
  brokenAtRow: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** Rows written before the chain was keyed, checked with plain SHA-256 only (anyone could recompute those). */
  unkeyedRows: z.number().int(),
  /** First row id chained with the HMAC key; null until the first keyed append. */
  keyedFromId: z.number().int().nullable(),
});
export type AuditVerify = z.infer<typeof AuditVerifySchema>;

export const auditRoutes = {
  'audit.list': route(
    z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    z.object({ rows: z.array(AuditEntrySchema), total: z.number().int() }),
  ),
  'audit.verify': route(z.object({}).strict(), AuditVerifySchema),
  'audit.export': route(
    z.object({ format: z.enum(['csv', 'json']) }).strict(),
    z.object({ format: z.enum(['csv', 'json']), filename: z.string(), content: z.string(), verify: AuditVerifySchema }),
  ),
} as const;
