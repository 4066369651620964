import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { SuiteSpecSchema, type CaseRate, type RunSummary, type SuiteFormat, type SuiteSpec } from '../../../shared/domain/evals';
import type { GenerationParams } from '../../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS, EVAL_DEFAULT_PARAMS, MAX_SEED, mergeParams } from '../../../shared/domain/generationDefaults';
import { AppError, isAppError } from '../../../shared/errors';
import { formatFromFileName, parseSuite } from '../../core/evals/formats/suiteFormats';
import { derivedMetricsFor } from '../../core/evals/derivedMetrics';
import { compareCells } from '../../core/evals/results';
import { providerKeys } from '../../core/evals/SuitePlan';
import { suiteGraders } from '../../../shared/domain/suiteGraders';
import type { toReportJson } from '../../core/evals/runReport';
import type { ParityApp } from '../../app';
import { retrievalForEvalSuite } from './docsEval';
import { cliClient, type CliClient } from '../cliClient';
import { appFor, EXIT_USAGE, type CliIo } from '../program';
import { compareWithoutPolicy, startUnderPolicy, waitForRun } from './evalUnderPolicy';

export interface EvalCliOptions {
  models?: string[];
  /** Without --models, also run the remote models the suite file names (never a default). */
  allowRemote?: boolean;
  repeat: number;
  concurrency?: number;
  json?: string;
  html?: string;
  failUnder?: number;
  baseline?: string;
  grader?: string;
  embeddingModel?: string;
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  threads?: number;
  /** Send this run without the data policy (the policy must set evalBypass: true). */
  withoutPolicy?: boolean;
  /** Run under the policy, then without it, and print the pass rates side by side. */
  underPolicy?: boolean;
}

/** Thrown for exit code 2 (bad suite file or bad arguments); the message is printed as is. */
export class EvalUsageError extends Error {
  override readonly name = 'EvalUsageError';
}

const BaselineSchema = z.object({
  // pass null: a cell not graded (its comparison never ran); it is compared with nothing.
  cells: z.array(z.object({ caseId: z.string(), modelId: z.string(), repeat: z.number().int(), pass: z.boolean().nullable() })),
  // Reports written before case fingerprints existed lack both; the comparison then says it cannot tell changed cases apart.
  suite: z.object({ version: z.number().int() }).optional(),
  cases: z.array(z.object({ caseId: z.string(), definition: z.string() })).optional(),
});

function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}.`);
    return n;
  };
}

function temperatureArg(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 2) throw new InvalidArgumentError('must be a number from 0 to 2, e.g. 0 (greedy) or 0.7.');
  return n;
}

function fractionArg(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1, e.g. 0.9.');
  return n;
}

function modelsArg(value: string): string[] {
  const refs = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (refs.length === 0) throw new InvalidArgumentError('list at least one model, e.g. local:/models/a.gguf,openai:gpt-4o-mini');
  for (const r of refs) if (!/^[a-z][\w-]*:.+$/.test(r)) throw new InvalidArgumentError(`"${r}" must look like provider:model, e.g. local:<id or path> or openai:gpt-4o-mini.`);
  return refs;
}

/** "-" is not measured (like the table's other columns), never a 0.0% that reads as a result. */
function pct(n: number | null): string {
  return n === null ? '-' : `${(n * 100).toFixed(1)}%`;
}

function num(n: number | null, digits = 0): string {
  return n === null ? '-' : n.toFixed(digits);
}

/** A plain-text table for stdout: one row per model. */
export function summaryTable(models: ReturnType<typeof toReportJson>['models']): string {
  // The interval's n is the number of cases (repeats are averaged per case), so the header says so.
  const header = ['model', 'pass rate', '95% CI over cases', 'passed', 'TTFT p50', 'latency p50/p95 ms', 'tok/s', 'cost', 'cost/success'];
  const rows = models.map((m) => [
    m.id,
    pct(m.passRate),
    m.passRate === null ? 'nothing measured' : `${pct(m.passRateCI95[0])}-${pct(m.passRateCI95[1])}`,
    `${m.passes}/${m.cells} cells, ${m.cases} cases${m.ungraded ? `, ${m.ungraded} not graded` : ''}`,
    num(m.ttftMsP50),
    `${num(m.latencyMsP50)}/${num(m.latencyMsP95)}`,
    num(m.decodeTokensPerSecond, 1),
    m.costUsd === null ? '-' : `$${m.costUsd.toFixed(4)}`,
    m.costPerSuccessUsd === null ? '-' : `$${m.costPerSuccessUsd.toFixed(5)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n' + structuredTable(models);
}

function caseRateText(r: CaseRate | null | undefined): string {
  return r ? `${pct(r.rate)} (${pct(r.ci95[0])}-${pct(r.ci95[1])}, ${r.cases} cases)` : '-';
}

/** Structured output and tool calls, only when some request asked for them ("-": not measured). */
function structuredTable(models: ReturnType<typeof toReportJson>['models']): string {
  const rates = models.map((m) => m.structured);
  if (!rates.some((r) => r && Object.values(r).some((v) => v !== null))) return '';
  const header = ['model', 'JSON valid', 'schema valid', 'tool-call validity', 'tool-choice accuracy'];
  const rows = models.map((m) => [m.id, caseRateText(m.structured?.jsonValid), caseRateText(m.structured?.schemaValid), caseRateText(m.structured?.toolCallValid), caseRateText(m.structured?.toolChoiceAccuracy)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return '\n' + [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** promptfoo's derived metrics per model, after the summary table ("–" where a formula fails, with why). */
function derivedMetricsTable(spec: SuiteSpec, cells: Parameters<typeof derivedMetricsFor>[1], models: string[]): string {
  const lines = ['', 'derived metrics (formulas over the summed named scores):'];
  for (const id of models) {
    const values = derivedMetricsFor(spec, cells, id).map((d) => `${d.name} = ${d.value === null ? `– (${d.error})` : Number(d.value.toFixed(4))}`);
    lines.push(`  ${id}: ${values.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

interface StoredSuite {
  id: string;
  version: number;
  outcome: 'created' | 'new-version' | 'unchanged';
}

/** Reuses the suite stored under this name when nothing changed; otherwise saves a new version. */
async function storeSuite(client: CliClient, spec: SuiteSpec): Promise<StoredSuite> {
  const { suite, outcome } = await client.call('evals.suites.storeByName', { spec, message: 'parity eval' });
  return { id: suite.id, version: suite.version, outcome };
}

/** The run's report exactly as the app exports it (the --json file is this text). */
type RunReport = ReturnType<typeof toReportJson>;

function storedLine(spec: SuiteSpec, suite: StoredSuite): string {
  const what = `"${spec.name}" v${suite.version} (${spec.cases.length} case${spec.cases.length === 1 ? '' : 's'})`;
  if (suite.outcome === 'created') return `Stored new suite ${what}; it is listed under Evals in the app.\n`;
  if (suite.outcome === 'new-version') return `Stored suite ${what}: the file differs from the previous version.\n`;
  return `Using stored suite ${what}: unchanged.\n`;
}

/** The parameters --max-tokens/--temperature/--seed/--threads set for every model; unset ones are left out. */
function runParams(opts: EvalCliOptions): GenerationParams {
  return mergeParams({ maxTokens: opts.maxTokens, temperature: opts.temperature, seed: opts.seed, threads: opts.threads });
}

/** The suite file's format, checked before the app opens so that a mistyped name touches no database. */
function suiteFileFormat(file: string): SuiteFormat {
  const format = formatFromFileName(file);
  if (!format) throw new EvalUsageError(`${file}: use a .yaml, .yml, .csv or .jsonl suite file.`);
  if (!existsSync(file)) throw new EvalUsageError(`${file}: no such file.`);
  return format;
}

/**
 * `parity eval`: the whole flow, given an app. Returns the exit code: 0 all models at or above
 * --fail-under and no regression against --baseline, 1 otherwise; throws EvalUsageError for 2.
 */
export async function runEval(file: string, format: SuiteFormat, opts: EvalCliOptions, client: CliClient, io: CliIo, signal?: AbortSignal): Promise<number> {
  if (opts.underPolicy && opts.withoutPolicy) throw new EvalUsageError('--under-policy already runs the suite both ways; leave out --without-policy.');
  let spec: SuiteSpec;
  let baseline: z.infer<typeof BaselineSchema> | null = null;
  try {
    // A suite is known by the name it gives itself (a YAML's description, a JSONL header's name),
    // else by its file name without the extension: "suite", not "suite.yaml".
    const stem = basename(file, extname(file));
    // file:// references in a promptfoo config resolve next to it, as promptfoo resolves them.
    spec = parseSuite(format, readFileSync(file, 'utf8'), format === 'yaml' ? undefined : stem, dirname(file));
    if (format === 'yaml' && !spec.description?.trim()) spec = SuiteSpecSchema.parse({ ...spec, name: stem });
    if (opts.baseline) {
      const parsed = BaselineSchema.safeParse(JSON.parse(readFileSync(opts.baseline, 'utf8')));
      if (!parsed.success) throw new EvalUsageError(`${opts.baseline}: not a parity eval --json output (${parsed.error.issues[0]?.message}).`);
      baseline = parsed.data;
    }
  } catch (error) {
    if (error instanceof EvalUsageError) throw error;
    throw new EvalUsageError(`${isAppError(error) && error.code === 'SUITE_INVALID' ? '' : `${opts.baseline ?? file}: `}${error instanceof Error ? error.message : String(error)}`);
  }
  // What the suite asks for and Parity does not honour is said before anything runs.
  for (const warning of spec.imported?.warnings ?? []) io.err(`warning: ${warning}\n`);
  const suite = await storeSuite(client, spec);
  // stderr, so that stdout stays the summary table.
  io.err(storedLine(spec, suite));
  let run: RunSummary;
  // --under-policy: the run without the data policy, which the app starts once `run` completed.
  let without: RunSummary | null = null;
  const createInput = {
    suiteId: suite.id,
    suiteVersion: suite.version,
    // --allow-remote lists the suite's own models, which the app accepts only when listed.
    models: opts.models ?? (opts.allowRemote ? providerKeys(spec) : []),
    repeat: opts.repeat,
    params: runParams(opts),
    concurrency: opts.concurrency,
    graderModel: opts.grader,
    embeddingModel: opts.embeddingModel,
    // Likewise its remote graders: they would receive every prompt and answer.
    allowGraders: opts.allowRemote ? suiteGraders(spec) : [],
  };
  try {
    if (opts.underPolicy) ({ under: run, without } = await startUnderPolicy(client, createInput));
    else run = await client.call('evals.runs.create', { ...createInput, dataPolicy: opts.withoutPolicy ? 'off' : 'apply' });
  } catch (error) {
    const remote = isAppError(error) ? error.details?.remote : undefined;
    if (Array.isArray(remote)) {
      throw new EvalUsageError(
        `${file} names remote models (${remote.join(', ')}); prompts go to them only when you choose it: pass --models <refs> to choose the models to run, or --allow-remote to run the suite's remote models.`,
      );
    }
    const graders = isAppError(error) ? error.details?.remoteGraders : undefined;
    if (Array.isArray(graders)) {
      throw new EvalUsageError(
        `${file} names remote graders (${graders.join(', ')}), which would receive every prompt and answer they grade; they grade only when you choose it: pass --allow-remote to accept the suite's remote graders${graders.length === 1 ? ` (or --grader ${graders[0]})` : ''}, or make the suite grade with a local model (provider: local:<id>).`,
      );
    }
    // An unknown or missing model is a bad argument, not a failed eval.
    if (isAppError(error) && ['NOT_FOUND', 'VALIDATION_FAILED', 'MODEL_INVALID_FILE'].includes(error.code)) throw new EvalUsageError(error.message);
    throw error;
  }
  io.err(`Running ${run.totalCells} cells (${run.models.join(', ')}) from ${spec.name} v${suite.version}\n`);
  let lastPrinted = 0;
  const off = client.on('evals.progress', (p) => {
    if (p.runId !== run.id) return;
    const now = Date.now();
    if (p.status === 'running' && p.done < p.total && now - lastPrinted < 1000) return;
    lastPrinted = now;
    const eta = p.etaMs === null ? '' : `, ETA ${Math.ceil(p.etaMs / 1000)} s`;
    io.err(`[${p.done}/${p.total}] ${p.passed} passed, ${p.errors} errors${p.status === 'running' ? eta : ` (${p.status})`}\n`);
  });
  let summary: RunSummary;
  try {
    // A policy-cost pair runs in the app's background, as from the run dialog; a single run here.
    summary = without ? await waitForRun(client, run.id, signal) : await client.call('evals.runs.execute', { runId: run.id }, { signal });
  } finally {
    off();
  }
  const json = await client.call('evals.runs.export', { runId: run.id, format: 'json' });
  // Written by the app's own exporter in this process, so its shape is RunReport.
  const report = JSON.parse(json.content) as RunReport;
  if (opts.json) writeFileSync(opts.json, json.content);
  if (opts.html) writeFileSync(opts.html, (await client.call('evals.runs.export', { runId: run.id, format: 'html' })).content);
  io.out(summaryTable(report.models));
  if (spec.derivedMetrics?.length) io.out(derivedMetricsTable(spec, report.cells, report.models.map((m) => m.id)));
  // A suite that names a document collection and expected sources also measures retrieval (recall@k, MRR per mode).
  if (format === 'yaml') io.out(await retrievalForEvalSuite(client, file, readFileSync(file, 'utf8'), io, signal));
  const problems: string[] = [];
  if (without && summary.status === 'completed') {
    const cost = await compareWithoutPolicy(client, run.id, without, io, signal);
    io.out(cost.table);
    if (cost.refused) problems.push('the run without the data policy was refused: the policy must set evalBypass: true to allow it');
    if (cost.status !== 'completed') problems.push(`the run without the data policy did not finish (${cost.status}); resume it from the app`);
  }
  // Assertions Parity could not evaluate (no grader model, select-best...) are said once per kind, not per cell.
  const skipped = new Map<string, number>();
  for (const c of report.cells) for (const a of c.assertions) if (a.skipped !== undefined) skipped.set(`${a.type}: ${a.skipped}`, (skipped.get(`${a.type}: ${a.skipped}`) ?? 0) + 1);
  for (const [what, n] of skipped) io.err(`skipped in ${n} cell${n === 1 ? '' : 's'} (not counted for or against): ${what}\n`);
  const errored = report.cells.filter((c) => c.status === 'error');
  if (errored.length) problems.push(`${errored.length} cell(s) failed to generate, e.g. ${errored[0]!.caseId} on ${errored[0]!.modelId}: ${errored[0]!.error?.message ?? 'error'}`);
  if (summary.status !== 'completed') problems.push(`the run did not finish (${summary.status}); resume it from the app`);
  if (opts.failUnder !== undefined) {
    for (const m of report.models) {
      // No finished cell is not a 0% that happens to be under the bar: it is a model that was never measured.
      if (m.passRate === null) problems.push(`${m.id}: nothing measured (no cell finished), so --fail-under ${pct(opts.failUnder)} is not met`);
      else if (m.passRate < opts.failUnder) problems.push(`${m.id} passed ${pct(m.passRate)}, under --fail-under ${pct(opts.failUnder)}`);
    }
  }
  if (baseline) {
    // Only cases whose definition is unchanged are compared; a changed suite is said, not hidden.
    const cmp = compareCells(run.id, opts.baseline!, report.cells, baseline.cells, {
      current: { suiteVersion: report.suite.version, definitions: new Map(report.cases.map((c) => [c.caseId, c.definition])) },
      baseline: { suiteVersion: baseline.suite?.version ?? null, definitions: baseline.cases ? new Map(baseline.cases.map((c) => [c.caseId, c.definition])) : null },
    });
    if (cmp.warning) io.err(`warning: --baseline: ${cmp.warning}\n`);
    for (const r of cmp.regressions) problems.push(`regression: ${r.caseId} on ${r.modelId} (repeat ${r.repeat}) passed in the baseline and fails now`);
    for (const m of cmp.models) if (m.dropped) problems.push(`regression: ${m.modelId} pass rate ${pct(m.baselinePassRate)} → ${pct(m.passRate)}`);
  }
  if (problems.length) {
    io.err(`${problems.join('\n')}\n`);
    return 1;
  }
  return 0;
}

export function registerEval(program: Command, io: CliIo): void {
  program
    .command('eval')
    .description('run an evaluation suite (promptfoo YAML, CSV or JSONL) and exit non-zero on failure or regression')
    .argument('<suite>', 'suite file: .yaml/.yml (promptfoo config), .csv or .jsonl')
    .option('--models <refs>', "comma-separated model refs; overrides the suite's providers", modelsArg)
    .option('--allow-remote', "accept the remote models (without --models) and remote graders the suite names (they are never used by default)")
    .option('--repeat <n>', 'run every case N times per model', intArg(1, 100), 1)
    .option('--concurrency <n>', 'parallel requests per provider', intArg(1, 64))
    .option('--max-tokens <n>', `most tokens per answer, for every model (default: the suite's, else ${DEFAULT_MAX_TOKENS.evals})`, intArg(1, 1_000_000))
    .option('--temperature <n>', `sampling temperature for every model (default: the suite's, else ${EVAL_DEFAULT_PARAMS.temperature}, greedy)`, temperatureArg)
    .option('--seed <n>', 'sampling seed for every model (default: the suite\'s)', intArg(0, MAX_SEED))
    .option('--threads <n>', 'CPU threads for local models (default: Settings → CPU threads)', intArg(1, 256))
    .option('--json <file>', 'write the results as JSON (models[] scorecards and cells[])')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--fail-under <rate>', 'exit 1 when any model passes fewer than this share of cells (0..1)', fractionArg)
    .option('--baseline <file>', 'a previous --json output; exit 1 on any cell that passed there and fails now')
    .option('--grader <ref>', 'model that grades llm-rubric assertions naming none')
    .option('--embedding-model <ref>', 'local model that embeds texts for similar assertions naming none')
    .option('--without-policy', 'send this run without the data policy (only where the policy sets evalBypass: true; audited)')
    .option('--under-policy', 'run under the data policy, then again without it, and print pass rates side by side')
    .action(async (file: string, opts: EvalCliOptions, command: Command) => {
      const controller = new AbortController();
      // Ctrl+C stops the run; finished cells stay stored and the run can be resumed in the app.
      const onSigint = (): void => controller.abort();
      let app: ParityApp | null = null;
      let code: number;
      try {
        const format = suiteFileFormat(file);
        app = appFor(command, { mode: 'cli' });
        process.once('SIGINT', onSigint);
        code = await runEval(resolvePath(file), format, opts, cliClient(app), io, controller.signal);
      } catch (error) {
        if (error instanceof EvalUsageError) {
          // Every problem of the file is in the message; the usage text after it would only bury them.
          io.err(`parity eval: ${error.message}\n`);
          throw new CommanderError(EXIT_USAGE, 'parity.eval.invalid', error.message);
        }
        throw error;
      } finally {
        process.off('SIGINT', onSigint);
        await app?.dispose();
      }
      if (code !== 0) throw new AppError('VALIDATION_FAILED', 'eval failed (see above).');
    });
}
