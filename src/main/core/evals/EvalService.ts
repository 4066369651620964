import { randomUUID } from 'node:crypto';
import type { RunCellsPage, RunDetail, RunScorecards, RunStartInput, Suite, SuiteDiff, SuiteSummary, SuiteVersionInfo } from '../../../shared/contract/evals';
import { RunStartInputSchema } from '../../../shared/contract/evals';
import { repeatSeeds, type EvalCell, type RunCard, type RunComparison, type RunResults, type RunSummary, type SuiteFormat, type SuiteSpec } from '../../../shared/domain/evals';
import type { DataPolicy } from '../../../shared/domain/dataPolicy';
import { LOCAL_PROVIDER, parseOrLocal as parseRef } from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import { suiteGraders } from '../../../shared/domain/suiteGraders';
import type { ProviderRegistry } from '../providers/ProviderRegistry';
import { toSummary, type NewRun, type RunRepository, type StoredRun } from '../store/RunRepository';
import type { SuiteRepository } from '../store/SuiteRepository';
import type { EvalRunner } from './EvalRunner';
import { PolicyCostPairs } from './PolicyCostPairs';
import { parseSuite, serializeSuite } from './formats/suiteFormats';
import { toReportHtml } from './htmlReport';
import { derivedMetricsOf } from './derivedMetrics';
import { allPairedTests, compareCells, scorecard, skippedAssertions } from './results';
import { toReportCsv, toReportJson } from './runReport';
import { caseDefinitions, diffSuites } from './suiteDiff';
import { modelRefOf, paramsFor, planCases, providerFor, providerKeys, runsOn } from './SuitePlan';

export type ModelFacts = Partial<Pick<RunCard['models'][number], 'sha256' | 'quantization' | 'backend' | 'threads' | 'gpuLayers' | 'providerModelId'>>;

export interface EvalServiceOptions {
  suites: SuiteRepository;
  /** Shared with the runner, which writes the cells. */
  runs: RunRepository;
  runner: EvalRunner;
  providers?: ProviderRegistry | null;
  appVersion: string;
  /**
   * What the library knows about a model (sha256, quantisation) for the run card. With `wait`,
   * waits for a background hash to finish. A NOT_FOUND error rejects the run at start.
   */
  describeModel?: (ref: string, options: { wait: boolean }) => Promise<ModelFacts>;
  /** The grader chosen in Settings, for runs that name none; null when none is chosen. */
  defaultGrader?: () => string | null;
  /** The data policy in force (throws when it does not load); without it no policy-cost pair starts. */
  dataPolicy?: () => DataPolicy;
}

export interface ExportedFile {
  format: string;
  filename: string;
  mimeType: string;
  content: string;
}

function casesOf(run: StoredRun): RunResults['cases'] {
  const definitions = caseDefinitions(run.spec);
  return planCases(run.spec).map(({ caseId, description, promptLabel, vars }) => ({ caseId, description, promptLabel, vars, definition: definitions.get(caseId)! }));
}

function scorecardsOf(run: StoredRun, cells: EvalCell[]): Omit<RunScorecards, 'runId'> {
  return {
    scorecards: run.models.map((m) => scorecard(m, cells)),
    pairedTests: allPairedTests(run.models, cells),
    derivedMetrics: derivedMetricsOf(run.spec, run.models, cells),
    skippedAssertions: skippedAssertions(cells),
  };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'suite';
}

/** Suites (versioned), runs (background, resumable), results and exports: the evals domain. */
export class EvalService implements AsyncDisposable {
  readonly #suites: SuiteRepository;
  readonly #runs: RunRepository;
  readonly #o: EvalServiceOptions;
  readonly #runner: EvalRunner;
  readonly #active = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  readonly #pairs: PolicyCostPairs;
  #disposed = false;

  constructor(options: EvalServiceOptions) {
    this.#o = options;
    this.#suites = options.suites;
    this.#runs = options.runs;
    this.#runner = options.runner;
    this.#pairs = new PolicyCostPairs({ runs: options.runs, dataPolicy: options.dataPolicy, launch: (id) => this.#launch(id), closing: () => this.#disposed });
  }

  /** Start-up work, called once by the composition root. */
  start(): void {
    // Whatever was running when the process died is not running now; it can be resumed.
    this.#runs.markInterrupted();
  }

  listSuites(): SuiteSummary[] {
    return this.#suites.list();
  }

  getSuite(id: string, version?: number): Suite {
    return this.#suites.get(id, version);
  }

  createSuite(spec: SuiteSpec, message?: string): Suite {
    return this.#suites.create(spec, message);
  }

  saveSuite(id: string, spec: SuiteSpec, options: { message?: string; baseVersion?: number } = {}): Suite {
    return this.#suites.save(id, spec, options);
  }

  versions(id: string): SuiteVersionInfo[] {
    return this.#suites.versions(id);
  }

  diff(id: string, from: number, to: number): SuiteDiff {
    return diffSuites(from, this.#suites.get(id, from).spec, to, this.#suites.get(id, to).spec);
  }

  rollback(id: string, version: number): Suite {
    const old = this.#suites.get(id, version);
    return this.#suites.save(id, old.spec, { message: `rolled back to version ${version}` });
  }

  /** The CLI's one suite per name: reused when unchanged, else a new version (or a new suite). */
  storeSuiteByName(spec: SuiteSpec, message: string): { suite: Suite; outcome: 'created' | 'new-version' | 'unchanged' } {
    return this.#suites.saveByName(spec, message);
  }

  deleteSuite(id: string): boolean {
    return this.#suites.delete(id);
  }

  /** Parses first, then stores in one transaction: a bad file stores nothing. */
  importSuite(input: { format: SuiteFormat; content: string; name?: string; suiteId?: string; folder?: string }): Suite {
    // A promptfoo config's file:// references resolve inside its folder; pasted text has none.
    const spec = parseSuite(input.format, input.content, input.name, input.folder ?? null);
    return input.suiteId ? this.#suites.save(input.suiteId, spec, { message: `imported ${input.format}` }) : this.#suites.create(spec, `imported ${input.format}`);
  }

  exportSuite(id: string, format: SuiteFormat, version?: number): ExportedFile {
    const suite = this.#suites.get(id, version);
    const mime = { yaml: 'application/yaml', csv: 'text/csv', jsonl: 'application/jsonl' }[format];
    return { format, filename: `${slug(suite.name)}-v${suite.version}.${format === 'yaml' ? 'yaml' : format}`, mimeType: mime, content: serializeSuite(format, suite.spec) };
  }

  /** Creates the run (with its card) and starts it in the background. */
  async startRun(input: RunStartInput): Promise<RunSummary> {
    const run = await this.createRun(input);
    this.#launch(run.id);
    return toSummary(this.#runs.get(run.id));
  }

  /** Creates a run without starting it (the CLI runs it in the foreground with `execute`). */
  async createRun(raw: RunStartInput): Promise<StoredRun> {
    return this.#runs.create(await this.#newRun(raw));
  }

  /** The same run under the data policy and without it, linked; the second starts when the first completes. */
  startPolicyCost(raw: Omit<RunStartInput, 'dataPolicy'>): Promise<{ withPolicy: RunSummary; withoutPolicy: RunSummary }> {
    return this.#pairs.start(raw, (input) => this.#newRun(input));
  }

  /** Validates the input and builds the run and its card; stores nothing. */
  async #newRun(raw: RunStartInput): Promise<NewRun> {
    const input = RunStartInputSchema.parse(raw);
    const suite = this.#suites.get(input.suiteId, input.suiteVersion);
    // A suite provider's identity is its label when the same model is listed twice (promptfoo's semantics).
    const models = input.models.length ? input.models : providerKeys(suite.spec);
    if (models.length === 0) throw new AppError('VALIDATION_FAILED', 'Choose at least one model: the suite lists no providers.', { field: 'models' });
    if (new Set(models).size !== models.length) throw new AppError('VALIDATION_FAILED', 'A model is listed twice.', { field: 'models', models });
    for (const key of models) this.#o.providers?.resolve(modelRefOf(suite.spec, key));
    // A suite file is often someone else's: the remote models it names send prompts off this
    // machine only when the caller lists them, never as a default.
    const remote = input.models.length ? [] : models.filter((key) => !this.#isLocal(modelRefOf(suite.spec, key)));
    if (remote.length) {
      throw new AppError('VALIDATION_FAILED', `The suite names models that are not on this device (${remote.join(', ')}): list the models to run explicitly, remote ones included, to send prompts to them.`, {
        field: 'models',
        remote,
      });
    }
    const graderModel = input.graderModel ?? this.#o.defaultGrader?.() ?? null;
    this.#refuseUnchosenGraders(suite.spec, [...input.allowGraders, ...(graderModel ? [graderModel] : [])]);
    const cases = planCases(suite.spec);
    // Per-test `providers` and per-provider `prompts` filters leave some rows out for some models.
    const rows = models.reduce((n, key) => n + cases.filter((pc) => runsOn(suite.spec, pc, key)).length, 0);
    const card: RunCard = {
      appVersion: this.#o.appVersion,
      suiteId: suite.id,
      suiteVersion: suite.version,
      suiteName: suite.name,
      createdAt: new Date().toISOString(),
      repeat: input.repeat,
      params: input.params,
      prompts: suite.spec.prompts,
      platform: process.platform,
      arch: process.arch,
      dataPolicy: input.dataPolicy,
      models: await Promise.all(
        models.map(async (id) => {
          const { provider, model } = parseRef(modelRefOf(suite.spec, id));
          const facts = await this.#describe(modelRefOf(suite.spec, id), false);
          const params = paramsFor(suite.spec, id, input.params);
          return {
            id,
            label: providerFor(suite.spec, id)?.label ?? null,
            provider,
            sha256: facts?.sha256 ?? null,
            providerModelId: facts?.providerModelId ?? (provider === 'local' ? null : model),
            quantization: facts?.quantization ?? null,
            backend: facts?.backend ?? null,
            threads: facts?.threads ?? params.threads ?? null,
            gpuLayers: facts?.gpuLayers ?? (typeof params.gpuLayers === 'number' ? params.gpuLayers : null),
            params,
            seeds: repeatSeeds(params, input.repeat),
          };
        }),
      ),
    };
    return {
      id: randomUUID(),
      suiteId: suite.id,
      suiteVersion: suite.version,
      spec: suite.spec,
      models,
      repeat: input.repeat,
      params: input.params,
      concurrency: input.concurrency ?? null,
      graderModel,
      embeddingModel: input.embeddingModel ?? null,
      runCard: card,
      totalCells: rows * input.repeat,
    };
  }

  /**
   * A grader sees every prompt and answer it grades, so a remote one the suite names (and the
   * user did not choose) refuses the run before anything is sent, like a remote model does.
   */
  #refuseUnchosenGraders(spec: SuiteSpec, chosen: readonly string[]): void {
    const remote = suiteGraders(spec).filter((ref) => !chosen.includes(ref) && !this.#isLocalGrader(ref));
    if (remote.length === 0) return;
    const list = remote.join(', ');
    throw new AppError(
      'VALIDATION_FAILED',
      `The suite names ${remote.length > 1 ? 'graders' : 'a grader'} that ${remote.length > 1 ? 'are' : 'is'} not on this device (${list}), which would receive every prompt and answer it grades. To let ${remote.length > 1 ? 'them' : 'it'} grade, allow ${remote.length > 1 ? 'them' : 'it'} for this run (tick "Allow the suite's remote graders" in the run dialog, or pass --allow-remote to parity eval); otherwise make the suite grade with a local model (provider: local:<id>).`,
      { field: 'graders', remoteGraders: remote },
    );
  }

  /** An unknown provider sends nothing, but counts as remote unless its ref says `local:`. */
  #isLocalGrader(ref: string): boolean {
    try {
      return this.#isLocal(ref);
    } catch {
      return parseRef(ref).provider === LOCAL_PROVIDER;
    }
  }

  /** Whether a model runs on this device; without a provider registry, by its ref (`local:`). */
  #isLocal(ref: string): boolean {
    const registry = this.#o.providers;
    if (!registry) return parseRef(ref).provider === LOCAL_PROVIDER;
    return registry.resolve(ref).provider.capabilities.local;
  }

  /** Runs (or resumes) in the foreground; resolves when finished or stopped by `signal`. */
  async execute(runId: string, options: { signal?: AbortSignal } = {}): Promise<RunSummary> {
    if (this.#active.has(runId)) throw new AppError('CONFLICT', 'This run is already running.', { runId });
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) controller.abort();
    const done = this.#runAndFinish(runId, controller.signal);
    this.#active.set(runId, { controller, done });
    try {
      return toSummary(await done);
    } finally {
      this.#active.delete(runId);
      options.signal?.removeEventListener('abort', stop);
    }
  }

  async #runAndFinish(runId: string, signal: AbortSignal): Promise<StoredRun> {
    const drained = await this.#runner.runCells(runId, { signal });
    // The card is completed before the run is announced finished, so a report taken then has it.
    // Only on completion: a cancel must not wait for a background hash. A failure here only
    // leaves the card less complete; the cells are already stored.
    if (drained.status === 'completed') await this.#completeCard(runId).catch(() => undefined);
    const finished = this.#runner.finish(drained);
    this.#pairs.finished(finished);
    return finished;
  }

  async #describe(ref: string, wait: boolean): Promise<ModelFacts> {
    try {
      return (await this.#o.describeModel?.(ref, { wait })) ?? {};
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw error;
      // Facts are nice to have; a library hiccup must not stop the run.
      return {};
    }
  }

  /** After a run, facts that were still being computed at start (a file's sha256) complete the card. */
  async #completeCard(runId: string): Promise<void> {
    const run = this.#runs.get(runId);
    if (!run.runCard.models.some((m) => m.provider === 'local' && m.sha256 === null)) return;
    const models = await Promise.all(
      run.runCard.models.map(async (m) => {
        if (m.provider !== 'local' || m.sha256 !== null) return m;
        const facts = await this.#describe(modelRefOf(run.spec, m.id), true).catch(() => ({}) as ModelFacts);
        return { ...m, sha256: facts.sha256 ?? null, quantization: m.quantization ?? facts.quantization ?? null };
      }),
    );
    this.#runs.updateRunCard(runId, { ...this.#runs.get(runId).runCard, models });
  }

  #launch(runId: string): void {
    this.execute(runId).catch((error: unknown) => console.error(`eval run ${runId} failed:`, error));
  }

  listRuns(filter: { suiteId?: string; status?: RunSummary['status'] } = {}): RunSummary[] {
    return this.#runs.list(filter).map(toSummary);
  }

  getRun(runId: string): RunDetail {
    const run = this.#runs.get(runId);
    return { ...toSummary(run), runCard: run.runCard };
  }

  async cancelRun(runId: string): Promise<RunSummary> {
    const active = this.#active.get(runId);
    if (active) {
      active.controller.abort();
      await active.done.catch(() => undefined);
    } else {
      // Not running here: stored cancelled in one statement, so a pair's waiting run is never started after it.
      this.#runs.setStatusFrom(runId, ['pending', 'running', 'interrupted'], 'cancelled');
    }
    return toSummary(this.#runs.get(runId));
  }

  resumeRun(runId: string): RunSummary {
    const run = this.#runs.get(runId);
    if (this.#active.has(runId)) return toSummary(run);
    if (run.status === 'completed') throw new AppError('CONFLICT', 'This run has already finished; start a new run instead.', { runId });
    this.#runs.setStatus(runId, 'running');
    this.#launch(runId);
    return toSummary(this.#runs.get(runId));
  }

  async deleteRun(runId: string): Promise<boolean> {
    if (this.#active.has(runId)) await this.cancelRun(runId);
    return this.#runs.delete(runId);
  }

  /** Everything at once (exports, the CLI): the same as `cases`, every page of `cellsPage` and `scorecards`. */
  results(runId: string): RunResults {
    const run = this.#runs.get(runId);
    const cells = this.#runs.cells(runId);
    return { run: toSummary(run), models: run.models, cases: casesOf(run), cells, ...scorecardsOf(run, cells) };
  }

  cases(runId: string): RunResults['cases'] {
    return casesOf(this.#runs.get(runId));
  }

  /** Only the page is read and parsed: a live view follows `evals.cellDone` instead of reading the run again. */
  cellsPage(runId: string, offset: number, limit: number): RunCellsPage {
    this.#runs.get(runId);
    return { runId, offset, total: this.#runs.cellCount(runId), cells: this.#runs.cellsPage(runId, offset, limit) };
  }

  /** Computed over the stored cells, per case (see results.ts): a small answer whatever the run's size. */
  scorecards(runId: string): RunScorecards {
    const run = this.#runs.get(runId);
    return { runId, ...scorecardsOf(run, this.#runs.cells(runId)) };
  }

  /** Against a baseline run, over the cases whose definition both runs share (a changed suite warns). */
  compare(runId: string, baselineRunId: string): RunComparison {
    const side = (id: string) => {
      const run = this.#runs.get(id);
      return { suiteVersion: run.suiteVersion, definitions: caseDefinitions(run.spec) };
    };
    return compareCells(runId, baselineRunId, this.#runs.cells(runId), this.#runs.cells(baselineRunId), { current: side(runId), baseline: side(baselineRunId) });
  }

  exportRun(runId: string, format: 'csv' | 'json' | 'html'): ExportedFile {
    const results = this.results(runId);
    const card = this.#runs.get(runId).runCard;
    const base = `${slug(results.run.suiteName)}-${runId.slice(0, 8)}`;
    if (format === 'csv') return { format, filename: `${base}.csv`, mimeType: 'text/csv', content: toReportCsv(results) };
    if (format === 'json') return { format, filename: `${base}.json`, mimeType: 'application/json', content: JSON.stringify(toReportJson(results, card), null, 2) };
    return { format, filename: `${base}.html`, mimeType: 'text/html', content: toReportHtml(results, card) };
  }

  /** Stops every active run (they stay resumable) and waits for them. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    const active = [...this.#active.values()];
    for (const a of active) a.controller.abort();
    await Promise.allSettled(active.map((a) => a.done));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
