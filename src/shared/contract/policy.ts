import { z } from 'zod';
import { DataPolicySchema, PolicyActionSchema } from '../domain/dataPolicy';
import { ModelRefSchema } from '../domain/generation';
import { route } from './route';

export const PolicyViewSchema = z.object({
  /** `file`: --policy / PARITY_POLICY_FILE is in force and Settings cannot change it. */
  source: z.enum(['file', 'stored']),
  path: z.string().nullable(),
  /** The stored policy's YAML as the user wrote it; null for a file policy. */
  yaml: z.string().nullable(),
  policy: DataPolicySchema,
  /** Why the stored policy does not load; remote requests are refused until it is fixed. */
  error: z.string().nullable(),
});
export type PolicyView = z.infer<typeof PolicyViewSchema>;

export const PolicyFindingSchema = z.object({ detector: z.string(), action: PolicyActionSchema.exclude(['allow']), count: z.number().int() });

export const PolicyPreviewSchema = z.object({
  outcome: z.enum(['clear', 'warned', 'redacted', 'blocked']),
  findings: z.array(PolicyFindingSchema),
  /** What would be sent: the text with placeholders, or null when it would be refused. */
  sent: z.string().nullable(),
  refusal: z.string().nullable(),
});
export type PolicyPreview = z.infer<typeof PolicyPreviewSchema>;

export const PolicyReportRowSchema = z.object({
  provider: z.string(),
  /** Requests that left with bytes (retries count each). */
  sent: z.number().int(),
  redacted: z.number().int(),
  warned: z.number().int(),
  blocked: z.number().int(),
  /** Route steps that failed over or were skipped (budget, local only) at this provider. */
  rerouted: z.number().int(),
});
export type PolicyReportRow = z.infer<typeof PolicyReportRowSchema>;

export const PolicyReportSchema = z.object({
  since: z.string().nullable(),
  until: z.string().nullable(),
  providers: z.array(PolicyReportRowSchema),
  total: PolicyReportRowSchema,
});
export type PolicyReport = z.infer<typeof PolicyReportSchema>;

export const PolicyCostRowSchema = z.object({
  modelId: z.string(),
  /** Pass rate (over cases) of the run under the policy; null when the model is not in it. */
  withPolicy: z.number().nullable(),
  withoutPolicy: z.number().nullable(),
  /** withPolicy − withoutPolicy: negative when the rules cost quality. Null when either is missing. */
  difference: z.number().nullable(),
  /** Cells of the run under the policy that the policy refused (no answer at all). */
  refusedCells: z.number().int(),
  cases: z.number().int(),
});
export const PolicyCostSchema = z.object({
  withPolicyRunId: z.string(),
  withoutPolicyRunId: z.string(),
  /** False when the two runs are of different suite versions: the rows then compare different cases. */
  sameSuite: z.boolean(),
  models: z.array(PolicyCostRowSchema),
});
export type PolicyCost = z.infer<typeof PolicyCostSchema>;

const IsoTime = z.string().datetime({ offset: true, message: 'must be an ISO date-time, e.g. 2026-11-01T00:00:00Z' });

export const policyRoutes = {
  /** Pass rate per model with and without the data policy: a run under it against a run with `dataPolicy: off`. */
  'policy.evalCost': route(z.object({ withPolicyRunId: z.string().min(1), withoutPolicyRunId: z.string().min(1) }).strict(), PolicyCostSchema),
  /** Counts from the audit log for `since <= time < until` (either open). */
  'policy.report': route(z.object({ since: IsoTime.nullable().default(null), until: IsoTime.nullable().default(null) }).strict(), PolicyReportSchema),
  'policy.get': route(z.object({}).strict(), PolicyViewSchema),
  /** Validated first; a policy with a problem is refused (POLICY_INVALID, with the place) and the stored one stays. */
  'policy.set': route(z.object({ yaml: z.string().max(200_000) }).strict(), PolicyViewSchema),
  /** What a message would become for a model, under the policy in force or under `yaml` not yet saved. */
  'policy.preview': route(z.object({ ref: ModelRefSchema, text: z.string().max(200_000), yaml: z.string().max(200_000).optional() }).strict(), PolicyPreviewSchema),
} as const;
