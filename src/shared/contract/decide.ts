import { z } from 'zod';
import type { CostSettings } from '../domain/costModel';
import { PairedTestSchema, RunCardSchema, ScorecardSchema } from '../domain/evals';
import { route } from './route';
import type { SettingsValues } from './settings';

/** The settings keys behind each CostSettings field (Settings → Cost). */
export function costSettingsOf(values: Pick<SettingsValues, Extract<keyof SettingsValues, `cost${string}`>>): CostSettings {
  return {
    localMode: values.costLocalMode,
    hardwareUsd: values.costHardwareUsd,
    hardwareLifeYears: values.costHardwareLifeYears,
    gpuHourlyUsd: values.costGpuHourlyUsd,
    powerWatts: values.costPowerWatts,
    electricityUsdPerKWh: values.costElectricityUsdPerKWh,
    hoursPerDay: values.costHoursPerDay,
    opsUsdPerMonth: values.costOpsUsdPerMonth,
    localParallelism: values.costLocalParallelism,
    peakFactor: values.costPeakFactor,
  };
}

export const CostSettingsSchema = z.object({
  localMode: z.enum(['owned', 'rented']),
  hardwareUsd: z.number().min(0),
  hardwareLifeYears: z.number().min(0),
  gpuHourlyUsd: z.number().min(0),
  powerWatts: z.number().min(0),
  electricityUsdPerKWh: z.number().min(0),
  hoursPerDay: z.number().min(1).max(24),
  opsUsdPerMonth: z.number().min(0),
  localParallelism: z.number().int().min(1),
  peakFactor: z.number().min(1),
});

export const VolumeSchema = z.object({
  amount: z.number().min(0, 'volume cannot be negative').max(1e12),
  /** Tasks (one eval case answered) or tokens (in + out) per day. */
  unit: z.enum(['tasks', 'tokens']).default('tasks'),
});
export type Volume = z.input<typeof VolumeSchema>;

export const DecisionRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cheapest-above-pass'), minPassRate: z.number().min(0).max(1) }),
  z.object({ kind: z.literal('best-pass-under-budget'), budgetUsdPerMonth: z.number().min(0) }),
  z.object({ kind: z.literal('fastest-under-both'), minPassRate: z.number().min(0).max(1), budgetUsdPerMonth: z.number().min(0) }),
]);
export type DecisionRule = z.infer<typeof DecisionRuleSchema>;

export const HostedOptionSchema = z
  .object({
    /** A local model of the run whose weights the host serves. */
    basedOn: z.string().min(1),
    /** The host, as shown: "together", "fireworks". */
    host: z.string().trim().min(1).max(60),
    inputPerMTok: z.number().min(0),
    outputPerMTok: z.number().min(0),
  })
  .strict();
export type HostedOption = z.infer<typeof HostedOptionSchema>;

export const DecideInputSchema = z
  .object({
    runId: z.string().min(1),
    volume: VolumeSchema,
    /** Compound growth per month (0.1 = 10%); the cost twelve months out is shown next to today's. */
    monthlyGrowth: z.number().min(0).max(10).default(0),
    /** Overrides Settings → Cost for this evaluation only (e.g. the peak factor adjusted in the Decide view). */
    overrides: CostSettingsSchema.partial().default({}),
    /**
     * What-if lines: a local model's open weights served by a hosted endpoint at its price per
     * million tokens, priced with the local run's measured tokens and quality (nothing is sent).
     */
    hosted: z.array(HostedOptionSchema).max(8).default([]),
    rule: DecisionRuleSchema,
  })
  .strict();
export type DecideInput = z.input<typeof DecideInputSchema>;

const CostLineSchema = z.discriminatedUnion('shape', [
  z.object({ shape: z.literal('linear'), usdPerTask: z.number() }),
  z.object({ shape: z.literal('stepped'), machineUsdPerMonth: z.number(), fixedUsdPerMonth: z.number(), tasksPerMachinePerDay: z.number() }),
]);

export const ModelDecisionSchema = z.object({
  ref: z.string(),
  /** local: on this device; api: a closed provider; hosted: an OpenAI-compatible endpoint priced per token. */
  kind: z.enum(['local', 'api', 'hosted']),
  /** Null when nothing was measured (no cell finished): never a 0% that reads as a result. */
  passRate: z.number().nullable(),
  passRateCI95: z.tuple([z.number(), z.number()]),
  cases: z.number().int(),
  /** Graded tasks (cells): what the success rate and cost per success divide by. */
  tasks: z.number().int(),
  successes: z.number().int(),
  /** Tasks left out as not graded (their comparison never ran). Absent on decisions made before it was counted. */
  ungradedTasks: z.number().int().optional(),
  latencyMsP95: z.number().nullable(),
  inputTokensPerTask: z.number().nullable(),
  outputTokensPerTask: z.number().nullable(),
  secondsPerTask: z.number().nullable(),
  price: z.object({ inputPerMTok: z.number(), outputPerMTok: z.number() }).nullable(),
  line: CostLineSchema.nullable(),
  costPerTaskUsd: z.number().nullable(),
  costPerSuccessUsd: z.number().nullable(),
  monthlyCostUsd: z.number().nullable(),
  monthlyCostIn12MonthsUsd: z.number().nullable(),
  /** Local only: machines the volume needs at the peak factor. */
  machines: z.number().int().nullable(),
  /** True for local costs: an estimate from Settings → Cost, not a bill. */
  estimate: z.boolean(),
  /** Why a cost is unknown (no price in the table, nothing finished); null when known. */
  unknownReason: z.string().nullable(),
  /** A what-if hosted line: the local model whose measured tokens and quality it uses (absent for models in the run). */
  basedOn: z.string().nullable().optional(),
});
export type ModelDecision = z.infer<typeof ModelDecisionSchema>;

export const BreakEvenEntrySchema = z.object({
  local: z.string(),
  remote: z.string(),
  remoteKind: z.enum(['api', 'hosted']),
  firstTasksPerDay: z.number().nullable(),
  alwaysFromTasksPerDay: z.number().nullable(),
  /** Plain words: where the lines cross, that they never do, or why it is unknown. */
  note: z.string(),
});
export type BreakEvenEntry = z.infer<typeof BreakEvenEntrySchema>;

export const RecommendationSchema = z.object({
  rule: DecisionRuleSchema,
  ruleText: z.string(),
  winner: z.string().nullable(),
  /** Every model in rule order, with why it is or is not eligible. */
  ranking: z.array(z.object({ ref: z.string(), eligible: z.boolean(), note: z.string() })),
  /** Why the winner wins, pass-rate differences stated with their paired test. */
  reasons: z.array(z.string()),
  summary: z.string(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

export const DecisionSchema = z.object({
  runId: z.string(),
  suiteName: z.string(),
  suiteVersion: z.number().int(),
  runStatus: z.string(),
  volume: VolumeSchema,
  /** The volume in tasks/day; null when tokens/day cannot be converted (no tokens measured). */
  tasksPerDay: z.number().nullable(),
  meanTokensPerTask: z.number().nullable(),
  monthlyGrowth: z.number(),
  settings: CostSettingsSchema,
  models: z.array(ModelDecisionSchema),
  breakEvens: z.array(BreakEvenEntrySchema),
  pairedTests: z.array(PairedTestSchema),
  recommendation: RecommendationSchema,
  chart: z.object({ volumes: z.array(z.number()), series: z.array(z.object({ ref: z.string(), monthlyUsd: z.array(z.number().nullable()) })) }),
  /** The model, in words, as the record prints it. */
  assumptions: z.array(z.string()),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const RecordModelSchema = z.object({
  ref: z.string(),
  licence: z.string().nullable(),
  /** sha256 of a local file; provider model id for a remote one. */
  identity: z.string().nullable(),
  /** "on this device" or the provider's host. */
  dataGoesTo: z.string(),
});

export const AuditSummarySchema = z.object({
  from: z.string(),
  to: z.string().nullable(),
  hosts: z.array(z.object({ host: z.string(), requests: z.number().int(), bytesSent: z.number().int(), bytesReceived: z.number().int() })),
  chainOk: z.boolean(),
  chainSummary: z.string(),
});
export type AuditSummary = z.infer<typeof AuditSummarySchema>;

/** Everything the decision record shows, embedded in the HTML as JSON so it re-imports. */
export const DecisionRecordDataSchema = z.object({
  format: z.literal('parity-decision-record'),
  version: z.literal(1),
  createdAt: z.string(),
  appVersion: z.string(),
  question: z.string(),
  decision: DecisionSchema,
  modelFacts: z.array(RecordModelSchema),
  scorecards: z.array(ScorecardSchema),
  runCard: RunCardSchema,
  audit: AuditSummarySchema,
});
export type DecisionRecordData = z.infer<typeof DecisionRecordDataSchema>;

const DecideRecordInputSchema = DecideInputSchema.extend({ question: z.string().max(2000).optional() }).strict();
export type DecideRecordInput = z.input<typeof DecideRecordInputSchema>;

export const decideRoutes = {
  /** Per-model monthly cost at a volume, break-evens and a recommendation by the chosen rule, for a run. */
  'decide.evaluate': route(DecideInputSchema, DecisionSchema),
  /** The decision record: one offline HTML file with its own data embedded as JSON. */
  'decide.record': route(DecideRecordInputSchema, z.object({ filename: z.string(), mimeType: z.string(), content: z.string(), data: DecisionRecordDataSchema })),
  /** Reads a record back (its embedded JSON); with runId, re-evaluates that later run with the record's volume, rule and settings. */
  'decide.importRecord': route(
    z.object({ content: z.string().min(1).max(50_000_000), runId: z.string().optional() }).strict(),
    z.object({ record: DecisionRecordDataSchema, later: DecisionSchema.nullable() }),
  ),
} as const;
