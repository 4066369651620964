import { z } from 'zod';
import { GenerationMetricsSchema, GenerationParamsSchema, ChatMessageSchema, type GenerationParams } from './generation';

/**
 * Evaluation suites, cells and results. The suite spec is Parity's stored form; promptfoo YAML,
 * CSV and JSONL are converted to and from it (core/evals/formats).
 */

/** Base assertion types. Any of them may be negated with a `not-` prefix (`not-contains`). */
export const AssertionTypeSchema = z.enum([
  'equals',
  'contains',
  'icontains',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'regex',
  'starts-with',
  'is-json',
  'contains-json',
  'is-valid-json-schema',
  'json-schema',
  'javascript',
  'latency',
  'cost',
  'is-refusal',
  'llm-rubric',
  'similar',
  // Model-graded retrieval checks (promptfoo's): the passages come in vars.context.
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'answer-relevance',
  // promptfoo's other deterministic checks (text metrics, XML, SQL, tool calls, finish reason).
  'levenshtein',
  'rouge-n',
  'bleu',
  'word-count',
  'is-xml',
  'contains-xml',
  'is-sql',
  'contains-sql',
  'finish-reason',
  'is-valid-openai-tools-call',
  'is-valid-openai-function-call',
  // F1 of the tool names called against the expected ones (the value).
  'tool-call-f1',
  // A group of assertions scored as one (its value is the list of member assertions).
  'assert-set',
  // Judged across all outputs of a test case once they are in (evals/CaseComparison).
  'select-best',
  'max-score',
  // Graded as a rubric; moderation and python are skipped in each cell, with the reason.
  'g-eval',
  'moderation',
  'python',
]);
export type AssertionType = z.infer<typeof AssertionTypeSchema>;

const ASSERTION_TYPES = new Set<string>(AssertionTypeSchema.options);

/** `contains`, `not-contains`; also `not-is-refusal`. */
export function splitAssertionType(type: string): { base: AssertionType; negated: boolean } | null {
  const negated = type.startsWith('not-') && ASSERTION_TYPES.has(type.slice(4));
  const base = negated ? type.slice(4) : type;
  return ASSERTION_TYPES.has(base) ? { base: base as AssertionType, negated } : null;
}

export const AssertionSpecSchema = z.object({
  /**
   * One of AssertionTypeSchema, optionally `not-` prefixed. Any other name is kept and skipped
   * with a reason in each cell (and a warning at import), so one unknown type never refuses a file.
   */
  type: z.string().min(1),
  /** Meaning depends on the type: a string, a list of strings, a schema, a number, a rubric. */
  value: z.unknown().optional(),
  /** Relative weight in the case score; 0 makes it informative only. Default 1. */
  weight: z.number().min(0).optional(),
  /** For scored types (similar, llm-rubric, javascript): the minimum score that passes. */
  threshold: z.number().optional(),
  /** Grader model ref for llm-rubric (any configured model, local included). */
  provider: z.string().optional(),
  /** Optional label shown in results. */
  metric: z.string().optional(),
  /** Sandboxed JavaScript applied to the output before this assertion (promptfoo's assertion `transform`). */
  transform: z.string().optional(),
});
export type AssertionSpec = z.infer<typeof AssertionSpecSchema>;

/** Objects and lists are kept as they are for templates (`{{ item.name }}`, `{% for x in list %}`). */
export const VarValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const CaseOptionsSchema = z.object({
  /** Default grader for llm-rubric assertions of this case. */
  provider: z.string().optional(),
});

export const EvalCaseSpecSchema = z.object({
  id: z.string().min(1).max(200),
  description: z.string().optional(),
  vars: z.record(z.string(), VarValueSchema).default({}),
  /** Overrides the suite's prompts for this case when set. */
  prompt: z.string().optional(),
  system: z.string().optional(),
  expected: z.string().optional(),
  assert: z.array(AssertionSpecSchema).default([]),
  /** Weighted score needed to pass; absent means every weighted assertion must pass. */
  threshold: z.number().min(0).max(1).optional(),
  options: CaseOptionsSchema.optional(),
  /** Sandboxed JavaScript applied to the output before the assertions (promptfoo's `options.transform`). */
  transform: z.string().optional(),
  /** Only these providers (id or label) run this case; absent = all (promptfoo's per-test `providers`). */
  providers: z.array(z.string()).optional(),
  /** Only these prompts (label) are used for this case; absent = all (promptfoo's per-test `prompts`). */
  prompts: z.array(z.string()).optional(),
  /**
   * Results to give the model when it calls a tool, by tool name: the conversation then continues
   * with them (a few rounds at most). Parity never runs a tool; a call without a result here (or in
   * the tool's own `mockResults`) ends the case at the call.
   */
  mockToolResults: z.record(z.string(), z.unknown()).optional(),
});
export type EvalCaseSpec = z.infer<typeof EvalCaseSpecSchema>;

export const PromptSpecSchema = z.object({
  label: z.string().optional(),
  /** `{{var}}` template. A JSON array of `{role, content}` is treated as chat messages. */
  template: z.string().min(1),
  system: z.string().optional(),
  /** The file the template was read from (`file://prompts.txt`), kept for the record. */
  source: z.string().optional(),
});
export type PromptSpec = z.infer<typeof PromptSpecSchema>;

export const SuiteProviderSpecSchema = z.object({
  /** A model ref: `local:<id or path>`, `openai:gpt-4o-mini`, `compat:<endpoint>/<model>`... */
  id: z.string().regex(/^[a-z][\w-]*:.+$/, 'must look like provider:model, e.g. local:<id> or openai:gpt-4o-mini'),
  label: z.string().optional(),
  params: GenerationParamsSchema.default({}),
  /** Only these prompts (label) are sent to this provider; absent = all (promptfoo's `provider.prompts`). */
  prompts: z.array(z.string()).optional(),
});
export type SuiteProviderSpec = z.infer<typeof SuiteProviderSpecSchema>;

export const DefaultTestSpecSchema = z.object({
  vars: z.record(z.string(), VarValueSchema).default({}),
  assert: z.array(AssertionSpecSchema).default([]),
  threshold: z.number().min(0).max(1).optional(),
  options: CaseOptionsSchema.optional(),
  transform: z.string().optional(),
});

/**
 * Where an imported suite came from: the original file references (`file://tests/*.csv`) whose
 * resolved content the suite now holds, and what the import could not honour, so a rerun needs
 * no files and nothing was dropped silently.
 */
export const SuiteImportInfoSchema = z.object({
  references: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
});
export type SuiteImportInfo = z.infer<typeof SuiteImportInfoSchema>;

export const SuiteSpecSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  prompts: z.array(PromptSpecSchema).default([{ template: '{{prompt}}' }]),
  providers: z.array(SuiteProviderSpecSchema).default([]),
  /** Parameters applied to every model (a provider's own params override them). */
  defaultParams: GenerationParamsSchema.default({}),
  defaultTest: DefaultTestSpecSchema.optional(),
  /** Custom Nunjucks filters by name, with their JavaScript source (kept; rendering passes values through, see promptTemplate). */
  nunjucksFilters: z.record(z.string(), z.string()).optional(),
  /** The suite's own `env` block, visible to templates as `env` (process variables never are). */
  env: z.record(z.string(), z.string()).optional(),
  imported: SuiteImportInfoSchema.optional(),
  /** promptfoo's derivedMetrics: a formula over the named scores (`metric:`), per model, e.g. `2 * p * r / (p + r)`. */
  derivedMetrics: z.array(z.object({ name: z.string().min(1), value: z.string().min(1) })).optional(),
  cases: z
    .array(EvalCaseSpecSchema)
    .min(1, 'a suite needs at least one case')
    .superRefine((cases, ctx) => {
      const seen = new Set<string>();
      cases.forEach((c, i) => {
        if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `duplicate case id "${c.id}"`, path: [i, 'id'] });
        seen.add(c.id);
      });
    }),
});
export type SuiteSpec = z.infer<typeof SuiteSpecSchema>;
export type SuiteSpecInput = z.input<typeof SuiteSpecSchema>;

/**
 * The identity of a suite provider in a run: its model ref, or `ref#label` when the suite lists
 * the same ref more than once (promptfoo's label is the identity: one model under two configs).
 */
export function providerKey(spec: Pick<SuiteSpec, 'providers'>, index: number): string {
  const p = spec.providers[index]!;
  const shared = spec.providers.filter((o) => o.id === p.id).length > 1;
  return shared ? `${p.id}#${p.label ?? index + 1}` : p.id;
}

/** Every suite provider's run identity, in suite order. */
export function providerKeys(spec: Pick<SuiteSpec, 'providers'>): string[] {
  return spec.providers.map((_, i) => providerKey(spec, i));
}

/** The suite entry a run identity stands for; undefined for a model from outside the suite (`--models`). */
export function providerFor(spec: Pick<SuiteSpec, 'providers'>, key: string): SuiteSpec['providers'][number] | undefined {
  const i = providerKeys(spec).indexOf(key);
  return i < 0 ? undefined : spec.providers[i];
}

/** The model ref to generate with for a run identity (`openai:gpt-4o#creative` → `openai:gpt-4o`). */
export function modelRefOf(spec: Pick<SuiteSpec, 'providers'>, key: string): string {
  return providerFor(spec, key)?.id ?? key;
}

export const SuiteFormatSchema = z.enum(['yaml', 'csv', 'jsonl']);
export type SuiteFormat = z.infer<typeof SuiteFormatSchema>;

export const AssertionResultSchema = z.object({
  type: z.string(),
  metric: z.string().nullable(),
  pass: z.boolean(),
  score: z.number(),
  weight: z.number(),
  reason: z.string(),
  /**
   * Set when the assertion could not be evaluated here (why, e.g. "needs a grader model"); a
   * skipped assertion counts neither for nor against the case.
   */
  skipped: z.string().optional(),
});
export type AssertionResult = z.infer<typeof AssertionResultSchema>;

export const RunStatusSchema = z.enum(['pending', 'running', 'completed', 'cancelled', 'interrupted', 'failed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const CellStatusSchema = z.enum(['done', 'error']);

/** One finished cell of the matrix models × cases × repeats. */
export const EvalCellSchema = z.object({
  runId: z.string(),
  caseId: z.string(),
  modelId: z.string(),
  repeat: z.number().int().min(0),
  status: CellStatusSchema,
  request: z.object({ messages: z.array(ChatMessageSchema), params: GenerationParamsSchema }),
  output: z.string(),
  pass: z.boolean(),
  score: z.number(),
  assertions: z.array(AssertionResultSchema),
  metrics: GenerationMetricsSchema,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  finishedAt: z.string(),
});
export type EvalCell = z.infer<typeof EvalCellSchema>;

/** A case as it appears in a run: a suite case × one of the suite's prompts. */
export const RunCaseSchema = z.object({
  caseId: z.string(),
  description: z.string().nullable(),
  promptLabel: z.string().nullable(),
  vars: z.record(z.string(), z.string()),
});
export type RunCase = z.infer<typeof RunCaseSchema>;

export const RunModelCardSchema = z.object({
  id: z.string(),
  label: z.string().nullable(),
  provider: z.string(),
  /** Local: file sha256 (from the first finished cell's metrics); remote: null. */
  sha256: z.string().nullable(),
  providerModelId: z.string().nullable(),
  quantization: z.string().nullable(),
  backend: z.string().nullable(),
  threads: z.number().nullable(),
  gpuLayers: z.number().nullable(),
  params: GenerationParamsSchema,
  /**
   * The seed of each repeat (index = repeat): `seed + r`, so repeats can differ while a rerun
   * reproduces them. Null when no seed was set; absent in runs stored before seeds were recorded.
   */
  seeds: z.array(z.number().int()).nullable().optional(),
});

/**
 * The two runs of one "measure the policy's cost" start (evals.runs.startPolicyCost): the same
 * suite, models and parameters under the data policy and without it. Both cards carry it, so
 * either run finds its partner after a reload.
 */
export const PolicyCostPairSchema = z.object({ withPolicyRunId: z.string(), withoutPolicyRunId: z.string() });
export type PolicyCostPair = z.infer<typeof PolicyCostPairSchema>;

/** Everything needed to reproduce or audit a run. */
export const RunCardSchema = z.object({
  appVersion: z.string(),
  suiteId: z.string(),
  suiteVersion: z.number().int(),
  suiteName: z.string(),
  createdAt: z.string(),
  repeat: z.number().int(),
  params: GenerationParamsSchema,
  models: z.array(RunModelCardSchema),
  prompts: z.array(PromptSpecSchema),
  platform: z.string(),
  arch: z.string(),
  /** `off` for a run sent without the data policy (to measure its cost); absent on older runs (applied). */
  dataPolicy: z.enum(['apply', 'off']).optional(),
  /** Set on both runs of a policy-cost pair; absent on a run started on its own. */
  policyCostPair: PolicyCostPairSchema.optional(),
});
export type RunCard = z.infer<typeof RunCardSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  suiteId: z.string(),
  suiteVersion: z.number().int(),
  suiteName: z.string(),
  status: RunStatusSchema,
  models: z.array(z.string()),
  repeat: z.number().int(),
  totalCells: z.number().int(),
  doneCells: z.number().int(),
  passedCells: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/**
 * The independent sample behind intervals and paired tests. Repeats of one case share its prompt
 * (and, at temperature 0, its output), so they are averaged per case rather than counted as more
 * evidence.
 */
export const STATS_UNIT = 'case' as const;

/** The unit of the statistics, said wherever they are shown (scorecard, HTML report). */
export const STATS_UNIT_NOTE =
  'Unit: case. Each case counts once: its repeats are averaged into a per-case pass fraction, the 95% interval is Wilson over cases, and paired tests are exact sign tests over cases. JSON valid and Refusals count only cells whose case asserts on them; "–" means not measured.';

/** A rate over cases (each case's measured repeats averaged) with its 95% Wilson interval. */
export const CaseRateSchema = z.object({ rate: z.number(), ci95: z.tuple([z.number(), z.number()]), cases: z.number().int() });
export type CaseRate = z.infer<typeof CaseRateSchema>;

export const ScorecardSchema = z.object({
  modelId: z.string(),
  /** Always "case": `passRate` and its interval are over cases, each case's repeats averaged. */
  unit: z.literal(STATS_UNIT),
  /** Distinct cases with at least one finished cell: the n of the interval. */
  cases: z.number().int(),
  cells: z.number().int(),
  passes: z.number().int(),
  errors: z.number().int(),
  /**
   * Finished cells whose select-best / max-score comparison never ran (the run stopped first):
   * not graded, so neither passes nor failures and in no rate. Absent on older records (none).
   */
  ungraded: z.number().int().optional(),
  /**
   * Mean over cases of the fraction of the case's graded repeats that passed (errored cells fail);
   * null (shown "–") when no graded cell finished: all errored, aborted or not graded, or none run yet.
   */
  passRate: z.number().nullable(),
  /** Wilson interval with n = cases and successes = the sum of per-case pass fractions. */
  passRateCI95: z.tuple([z.number(), z.number()]),
  ttftMsP50: z.number().nullable(),
  ttftMsP95: z.number().nullable(),
  latencyMsP50: z.number().nullable(),
  latencyMsP95: z.number().nullable(),
  decodeTokensPerSecond: z.number().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number().nullable(),
  costPerSuccessUsd: z.number().nullable(),
  /** Over cells whose case asserts on JSON; null (shown "–") when no case does. */
  jsonValidityRate: z.number().nullable(),
  /** Over cells whose case asserts on refusals; null (shown "–") when no case does. */
  refusalRate: z.number().nullable(),
  /**
   * Structured output and tool calls, each over the cases that measured it (null, shown "–", when
   * none did): JSON that parses, JSON that follows the requested schema, tool calls that name a
   * defined tool with arguments that follow its parameters, and calls that match the tool choice
   * or the case's expected tools. Absent on runs scored before these existed.
   */
  structured: z
    .object({
      jsonValid: CaseRateSchema.nullable(),
      schemaValid: CaseRateSchema.nullable(),
      toolCallValid: CaseRateSchema.nullable(),
      toolChoiceAccuracy: CaseRateSchema.nullable(),
    })
    .optional(),
});
export type Scorecard = z.infer<typeof ScorecardSchema>;

/**
 * Exact sign test over cases between two models: a case counts for A when A's per-case pass
 * fraction is higher than B's, for B when lower, and not at all when equal. With one repeat this
 * is exactly McNemar's test on the discordant cases.
 */
export const PairedTestSchema = z.object({
  modelA: z.string(),
  modelB: z.string(),
  unit: z.literal(STATS_UNIT),
  /** Cases both models have results for. */
  pairs: z.number().int(),
  /** Cases where A did better than B. */
  onlyA: z.number().int(),
  onlyB: z.number().int(),
  pValue: z.number(),
  significant: z.boolean(),
});
export type PairedTest = z.infer<typeof PairedTestSchema>;

/** promptfoo's derivedMetrics for one model: the formula's value over its summed named scores. */
export const DerivedMetricResultSchema = z.object({
  modelId: z.string(),
  name: z.string(),
  /** Null when the formula could not be evaluated; `error` says why. */
  value: z.number().nullable(),
  error: z.string().nullable(),
});
export type DerivedMetricResult = z.infer<typeof DerivedMetricResultSchema>;

/** Assertions a run could not evaluate, once per type and reason (not once per cell). */
export const SkippedAssertionSummarySchema = z.object({ type: z.string(), reason: z.string(), cells: z.number().int() });
export type SkippedAssertionSummary = z.infer<typeof SkippedAssertionSummarySchema>;

export const RunResultsSchema = z.object({
  run: RunSummarySchema,
  models: z.array(z.string()),
  /** `definition` fingerprints what the case asks and checks; a baseline compares a case only when it matches. */
  cases: z.array(RunCaseSchema.extend({ definition: z.string() })),
  cells: z.array(EvalCellSchema),
  scorecards: z.array(ScorecardSchema),
  pairedTests: z.array(PairedTestSchema),
  /** In the suite's order, per model; absent from results put together by a live view. */
  derivedMetrics: z.array(DerivedMetricResultSchema).optional(),
  skippedAssertions: z.array(SkippedAssertionSummarySchema).optional(),
});
export type RunResults = z.infer<typeof RunResultsSchema>;

export const RunComparisonSchema = z.object({
  runId: z.string(),
  baselineRunId: z.string(),
  /** Cases compared: present in both runs with an identical definition (prompt, assertions, threshold). */
  comparedCases: z.number().int(),
  /** Cases left out of the comparison, and why: a changed definition compares nothing like for like. */
  excludedCases: z.array(z.object({ caseId: z.string(), reason: z.enum(['changed', 'added', 'removed']) })),
  /** Set when the runs differ in suite version or case definitions; says what was left out. */
  warning: z.string().nullable(),
  /** Cells that passed in the baseline and fail now. */
  regressions: z.array(z.object({ caseId: z.string(), modelId: z.string(), repeat: z.number().int() })),
  improvements: z.array(z.object({ caseId: z.string(), modelId: z.string(), repeat: z.number().int() })),
  models: z.array(
    z.object({ modelId: z.string(), passRate: z.number().nullable(), baselinePassRate: z.number().nullable(), delta: z.number().nullable(), dropped: z.boolean() }),
  ),
  regressed: z.boolean(),
});
export type RunComparison = z.infer<typeof RunComparisonSchema>;

/**
 * Parameters for repeat `repeat` of a cell: a set seed becomes `seed + repeat`, so repeats sample
 * differently (at a temperature above 0) while the run stays reproducible. Without a seed the
 * provider picks one per request.
 */
export function paramsForRepeat(params: GenerationParams, repeat: number): GenerationParams {
  return params.seed === undefined ? params : { ...params, seed: params.seed + repeat };
}

/** The seeds a run's repeats use, as recorded in the run card; null when no seed is set. */
export function repeatSeeds(params: GenerationParams, repeats: number): number[] | null {
  return params.seed === undefined ? null : Array.from({ length: repeats }, (_, r) => params.seed! + r);
}

/** A run card's seeds for display: "42, 43, 44". */
export function formatSeeds(seeds: number[] | null | undefined): string {
  if (seeds === undefined) return 'not recorded';
  return seeds === null ? 'none set (the provider picks one per request)' : seeds.join(', ');
}
