import { z } from 'zod';
import {
  DerivedMetricResultSchema,
  EvalCellSchema,
  PairedTestSchema,
  RunCardSchema,
  RunCaseSchema,
  RunComparisonSchema,
  RunResultsSchema,
  RunStatusSchema,
  RunSummarySchema,
  ScorecardSchema,
  SkippedAssertionSummarySchema,
  SuiteFormatSchema,
  SuiteSpecSchema,
} from '../domain/evals';
import { GenerationParamsSchema } from '../domain/generation';
import { route } from './route';

export * from '../domain/evals';

export const SuiteSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int(),
  caseCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SuiteSummary = z.infer<typeof SuiteSummarySchema>;

/** One immutable version of a suite. */
export const SuiteSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  latestVersion: z.number().int(),
  message: z.string().nullable(),
  spec: SuiteSpecSchema,
  createdAt: z.string(),
});
export type Suite = z.infer<typeof SuiteSchema>;

export const SuiteVersionInfoSchema = z.object({
  version: z.number().int(),
  message: z.string().nullable(),
  caseCount: z.number().int(),
  createdAt: z.string(),
});
export type SuiteVersionInfo = z.infer<typeof SuiteVersionInfoSchema>;

/** Structured diff: suite-level fields, then one entry per added/removed/changed case. */
export const SuiteDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  cases: z.array(
    z.object({
      caseId: z.string(),
      change: z.enum(['added', 'removed', 'changed']),
      /** Top-level case fields that differ (vars, assert, prompt...). */
      fields: z.array(z.string()),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
    }),
  ),
});
export type SuiteDiff = z.infer<typeof SuiteDiffSchema>;

const Id = z.object({ id: z.string().min(1) }).strict();
const RunId = z.object({ runId: z.string().min(1) }).strict();

export const RunStartInputSchema = z
  .object({
    suiteId: z.string().min(1),
    /** Default: the latest version. */
    suiteVersion: z.number().int().min(1).optional(),
    /**
     * Model refs; empty or absent uses the suite's providers, but only when every one of them is on
     * this device: remote models run only when listed here (VALIDATION_FAILED, details.remote, else).
     */
    models: z.array(z.string().min(3)).default([]),
    repeat: z.number().int().min(1).max(100).default(1),
    /** Applied to every model identically (over the suite's own parameters). */
    params: GenerationParamsSchema.default({}),
    /** Per-provider parallelism; default: the provider's own (local 2, remote 4). */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** Grader for llm-rubric assertions that name none. */
    graderModel: z.string().optional(),
    /** Local embedding model for similar assertions that name none, e.g. `local:<id>`. */
    embeddingModel: z.string().optional(),
    /**
     * Remote graders (or embedding models) named by the suite that the caller accepts. Any other
     * remote one the suite names refuses the run (VALIDATION_FAILED, details.remoteGraders) unless
     * it is the graderModel chosen here or in Settings: it would receive the prompts and answers.
     */
    allowGraders: z.array(z.string().min(3)).default([]),
    /**
     * `off`: remote cases go out without the data policy, to compare pass rates with a run under it
     * (policy.evalCost). Only where the policy sets `evalBypass: true`; every request is audited.
     */
    dataPolicy: z.enum(['apply', 'off']).default('apply'),
  })
  .strict();
export type RunStartInput = z.input<typeof RunStartInputSchema>;

export const RunDetailSchema = RunSummarySchema.extend({ runCard: RunCardSchema });
export type RunDetail = z.infer<typeof RunDetailSchema>;

/** A run's cases as the grid shows them; `definition` fingerprints what the case asks and checks. */
export const RunCasesSchema = z.array(RunCaseSchema.extend({ definition: z.string() }));

/** Cells in case, model, repeat order; `total` is how many are stored now (a running run adds more). */
export const RunCellsPageSchema = z.object({
  runId: z.string(),
  offset: z.number().int(),
  total: z.number().int(),
  cells: z.array(EvalCellSchema),
});
export type RunCellsPage = z.infer<typeof RunCellsPageSchema>;

export const RUN_CELLS_PAGE_MAX = 1000;

export const RunScorecardsSchema = z.object({
  runId: z.string(),
  scorecards: z.array(ScorecardSchema),
  pairedTests: z.array(PairedTestSchema),
  derivedMetrics: z.array(DerivedMetricResultSchema),
  skippedAssertions: z.array(SkippedAssertionSummarySchema),
});
export type RunScorecards = z.infer<typeof RunScorecardsSchema>;

export const ExportResultSchema = z.object({ format: z.string(), filename: z.string(), mimeType: z.string(), content: z.string() });

export const evalsRoutes = {
  /** Every suite with its latest version number and case count. */
  'evals.suites.list': route(z.object({}).strict(), z.array(SuiteSummarySchema)),
  /** One version (default latest) with its full spec. */
  'evals.suites.get': route(z.object({ id: z.string(), version: z.number().int().min(1).optional() }).strict(), SuiteSchema),
  /** New suite at version 1. */
  'evals.suites.create': route(z.object({ spec: SuiteSpecSchema, message: z.string().optional() }).strict(), SuiteSchema),
  /** Saves the spec as a new immutable version. With baseVersion, CONFLICT if someone saved since. */
  'evals.suites.save': route(
    z.object({ id: z.string(), spec: SuiteSpecSchema, message: z.string().optional(), baseVersion: z.number().int().optional() }).strict(),
    SuiteSchema,
  ),
  /** Version history, newest first. */
  'evals.suites.versions': route(Id, z.array(SuiteVersionInfoSchema)),
  'evals.suites.diff': route(z.object({ id: z.string(), from: z.number().int(), to: z.number().int() }).strict(), SuiteDiffSchema),
  /** Saves an old version as the newest one (history is never rewritten). */
  'evals.suites.rollback': route(z.object({ id: z.string(), version: z.number().int() }).strict(), SuiteSchema),
  /** Stores a spec under its name: a new suite, a new version when it differs from the latest, or the latest unchanged. */
  'evals.suites.storeByName': route(
    z.object({ spec: SuiteSpecSchema, message: z.string() }).strict(),
    z.object({ suite: SuiteSchema, outcome: z.enum(['created', 'new-version', 'unchanged']) }),
  ),
  /** Deletes the suite and its versions; runs keep their own snapshot. */
  'evals.suites.delete': route(Id, z.object({ deleted: z.boolean() })),
  /** Parses YAML (promptfoo config), CSV (promptfoo columns) or JSONL; SUITE_INVALID names line and field. With suiteId, saves a new version. */
  'evals.suites.import': route(
    z
      .object({
        format: SuiteFormatSchema,
        content: z.string(),
        name: z.string().optional(),
        suiteId: z.string().optional(),
        /** The config's folder: its `file://` references are read from inside it (absent: they are problems). */
        folder: z.string().min(1).optional(),
      })
      .strict(),
    SuiteSchema,
  ),
  'evals.suites.export': route(
    z.object({ id: z.string(), version: z.number().int().optional(), format: SuiteFormatSchema }).strict(),
    ExportResultSchema,
  ),

  /** Starts a run in the background; follow `evals.progress` / `evals.cellDone`. */
  'evals.runs.start': route(RunStartInputSchema, RunSummarySchema),
  /**
   * Measures what the data policy costs in quality: creates two runs of the same suite, models and
   * parameters, one under the policy and one without it (linked by their cards' policyCostPair),
   * and runs them one after the other in the background; policy.evalCost compares them. Refused
   * (VALIDATION_FAILED, details.field 'dataPolicy') unless the policy has rules and `evalBypass: true`.
   */
  'evals.runs.startPolicyCost': route(RunStartInputSchema.omit({ dataPolicy: true }), z.object({ withPolicy: RunSummarySchema, withoutPolicy: RunSummarySchema })),
  /** Creates a run (with its card) without starting it; `evals.runs.execute` runs it. */
  'evals.runs.create': route(RunStartInputSchema, RunSummarySchema),
  /** Runs (or resumes) in the foreground and resolves with the final summary; the request's signal stops it. */
  'evals.runs.execute': route(RunId, RunSummarySchema),
  'evals.runs.list': route(z.object({ suiteId: z.string().optional(), status: RunStatusSchema.optional() }).strict(), z.array(RunSummarySchema)),
  'evals.runs.get': route(RunId, RunDetailSchema),
  /**
   * Stops a running run; finished cells are kept, and it can be resumed. A run not yet started (a
   * policy-cost pair's second run waiting for the first) is stored `cancelled` too: it then runs
   * only when resumed itself, never because its first run completed.
   */
  'evals.runs.cancel': route(RunId, RunSummarySchema),
  /** Continues a cancelled/interrupted run without redoing finished cells. */
  'evals.runs.resume': route(RunId, RunSummarySchema),
  'evals.runs.delete': route(RunId, z.object({ deleted: z.boolean() })),
  /** Grid (cases × models), scorecards per model and paired significance tests, all at once (exports, CLI). */
  'evals.runs.results': route(RunId, RunResultsSchema),
  /** The run's cases (rows of the grid). */
  'evals.runs.cases': route(RunId, RunCasesSchema),
  /** A page of finished cells; a live view takes the first pages once and then follows `evals.cellDone`. */
  'evals.runs.cells': route(
    z.object({ runId: z.string().min(1), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(RUN_CELLS_PAGE_MAX).default(500) }).strict(),
    RunCellsPageSchema,
  ),
  /** Scorecards per model (over cases) and paired tests: a few hundred bytes whatever the run's size. */
  'evals.runs.scorecards': route(RunId, RunScorecardsSchema),
  /** Regressions against a baseline run (matched by case, model, repeat). */
  'evals.runs.compare': route(z.object({ runId: z.string(), baselineRunId: z.string() }).strict(), RunComparisonSchema),
  'evals.runs.export': route(z.object({ runId: z.string(), format: z.enum(['csv', 'json', 'html']) }).strict(), ExportResultSchema),
} as const;

export const evalsEvents = {
  /** At most every ~100 ms per run, and on every status change. */
  'evals.progress': z.object({
    runId: z.string(),
    status: RunStatusSchema,
    total: z.number().int(),
    done: z.number().int(),
    passed: z.number().int(),
    errors: z.number().int(),
    elapsedMs: z.number(),
    etaMs: z.number().nullable(),
  }),
  'evals.cellDone': z.object({ runId: z.string(), cell: EvalCellSchema }),
} as const;
