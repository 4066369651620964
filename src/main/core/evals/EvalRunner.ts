import { paramsForRepeat, type EvalCell, type RunCard } from '../../../shared/domain/evals';
import { awaitsComparison } from '../../../shared/domain/cellGrading';
import type { GenerationMetrics } from '../../../shared/domain/generation';
import { endpointKey, format as formatRef, parseOrLocal as parseRef, providerOfEndpointKey } from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { GenerationService } from '../generation/GenerationService';
import type { ProviderRegistry } from '../providers/ProviderRegistry';
import { cellKey, type RunRepository, type StoredRun } from '../store/RunRepository';
import type { EmbedFunction, GradeFunction } from './assertions/assertionHandlers';
import { evaluateAssertions } from './assertions/evaluateAssertions';
import { generateWithMockTools } from './mockToolRounds';
import { CaseComparison } from './CaseComparison';
import { ConcurrencyLimiter } from './ConcurrencyLimiter';
import { modelRefOf, paramsFor, planCasesForRun, runsOn, type PlannedCase } from './SuitePlan';
import { failedMetrics } from '../generation/failedMetrics';
import { sleep } from '../util/sleep';
import type { ScriptSandbox } from '../sandbox/ScriptSandbox';

export interface EvalRunnerOptions {
  runs: RunRepository;
  generation: GenerationService;
  /** For each provider's default concurrency; absent → local 2, remote 4. */
  providers?: ProviderRegistry | null;
  bus?: EventBus | null;
  embed?: EmbedFunction | null;
  sandbox: ScriptSandbox;
  jsTimeoutMs?: number;
  /** First wait after a rate limit; doubles per retry of the same cell. */
  rateLimitBackoffMs?: number;
  maxRateLimitRetries?: number;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
}

/**
 * A run whose cells are all done (or that was stopped), still stored as running: the caller
 * completes what it owns (the service: the run card) and then calls `finish`, so whoever sees the
 * final status also sees everything that belongs to it.
 */
export interface DrainedRun {
  runId: string;
  status: 'completed' | 'cancelled';
  readonly progress: { emit(status: StoredRun['status'], force: boolean): void };
}

interface Task {
  pc: PlannedCase;
  modelId: string;
  repeat: number;
  attempts: number;
}

type Outcome = { kind: 'done'; cell: EvalCell } | { kind: 'rate-limited'; cell: EvalCell } | { kind: 'aborted' };

const LOCAL_DEFAULT_CONCURRENCY = 2;
const REMOTE_DEFAULT_CONCURRENCY = 4;

/** One limiter per provider; each OpenAI-compatible endpoint is a provider of its own. */
function limiterKey(modelId: string): string {
  const { provider, model } = parseRef(modelId);
  return endpointKey(formatRef(provider, model));
}

/**
 * Runs the matrix models × cases × repeats. Every finished cell is written at once, so after a
 * crash `execute` on the same run does only what is missing. Cells of one provider share a
 * limiter; providers run side by side.
 */
export class EvalRunner {
  readonly #o: EvalRunnerOptions;

  constructor(options: EvalRunnerOptions) {
    this.#o = options;
  }

  /**
   * Runs (or resumes) every missing cell of a stored run; resolves when they are done or `signal`
   * stopped them, leaving the final status to `finish`. A failure is stored and announced here.
   */
  async runCells(runId: string, { signal }: ExecuteOptions = {}): Promise<DrainedRun> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const run = this.#o.runs.get(runId);
    const finished = this.#o.runs.finishedKeys(runId);
    const cases = await this.#plan(run, controller.signal);
    const byProvider = new Map<string, Task[]>();
    // Model-major order: one local model is busy at a time, its cases spread over its sequences.
    for (const modelId of run.models) {
      const provider = limiterKey(modelRefOf(run.spec, modelId));
      for (const pc of cases) {
        // A case may name the providers it runs on, a provider the prompts it takes.
        if (!runsOn(run.spec, pc, modelId)) continue;
        for (let repeat = 0; repeat < run.repeat; repeat++) {
          if (finished.has(cellKey(pc.caseId, modelId, repeat))) continue;
          const list = byProvider.get(provider) ?? [];
          list.push({ pc, modelId, repeat, attempts: 0 });
          byProvider.set(provider, list);
        }
      }
    }
    const progress = new ProgressTracker(this.#o.bus ?? null, run, finished.size);
    this.#o.runs.setStatus(runId, 'running');
    progress.emit('running', true);
    let card = run.runCard;
    // select-best and max-score judge a case's outputs together, once all of them are stored.
    const comparison = new CaseComparison({
      run,
      cases,
      runs: this.#o.runs,
      grade: this.#grade,
      signal: controller.signal,
      onUpdated: (before, after) => {
        progress.cellUpdated(before, after);
        this.#o.bus?.emit('evals.cellDone', { runId, cell: after });
      },
    });
    const onCell = (cell: EvalCell): void => {
      this.#o.runs.insertCell(cell);
      card = this.#fillCard(runId, card, cell);
      progress.cellDone(cell);
      this.#o.bus?.emit('evals.cellDone', { runId, cell });
      comparison.cellDone(cell);
    };
    try {
      await Promise.all(
        [...byProvider].map(([key, tasks]) => this.#drain(run, tasks, new ConcurrencyLimiter(this.#concurrency(run, providerOfEndpointKey(key))), onCell, controller.signal)),
      );
      await comparison.settled();
      return { runId, status: controller.signal.aborted ? 'cancelled' : 'completed', progress };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#o.runs.setStatus(runId, 'failed', message);
      progress.emit('failed', true);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The run's grid, custom filters run in the sandbox; a filter that fails fails the run, saying which. */
  async #plan(run: StoredRun, signal: AbortSignal): Promise<PlannedCase[]> {
    // Running from the call on (before the first await): a caller that started it reads it so.
    this.#o.runs.setStatus(run.id, 'running');
    try {
      return await planCasesForRun(run.spec, this.#o.sandbox, { signal, timeoutMs: this.#o.jsTimeoutMs });
    } catch (error) {
      // Stopped while filters ran: nothing to run, the run ends cancelled.
      if (signal.aborted) return [];
      this.#o.runs.setStatus(run.id, 'failed', error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /** Stores and announces the final status of a drained run. */
  finish(run: DrainedRun): StoredRun {
    this.#o.runs.setStatus(run.runId, run.status);
    run.progress.emit(run.status, true);
    return this.#o.runs.get(run.runId);
  }

  #concurrency(run: StoredRun, providerId: string): number {
    if (run.concurrency) return run.concurrency;
    const provider = this.#o.providers?.get(providerId);
    // A local model batches parallel sequences of one loaded model: evals gain from at least 2
    // even where chat keeps one stream at a time.
    if (provider?.capabilities.local ?? providerId === 'local') return Math.max(LOCAL_DEFAULT_CONCURRENCY, provider?.capabilities.defaultConcurrency ?? 1);
    return provider?.capabilities.defaultConcurrency ?? REMOTE_DEFAULT_CONCURRENCY;
  }

  async #drain(run: StoredRun, queue: Task[], limiter: ConcurrencyLimiter, onCell: (cell: EvalCell) => void, signal: AbortSignal): Promise<void> {
    const active = new Set<Promise<void>>();
    const maxRetries = this.#o.maxRateLimitRetries ?? 5;
    const backoff = this.#o.rateLimitBackoffMs ?? 1000;
    while ((queue.length > 0 || active.size > 0) && !signal.aborted) {
      while (queue.length > 0 && active.size < limiter.limit && !signal.aborted) {
        const task = queue.shift()!;
        const p: Promise<void> = this.#runCell(run, task, signal)
          .then(async (outcome) => {
            if (outcome.kind === 'aborted') return;
            if (outcome.kind === 'rate-limited' && task.attempts < maxRetries) {
              limiter.onRateLimited();
              await sleep(backoff * 2 ** task.attempts, signal);
              task.attempts++;
              queue.unshift(task);
              return;
            }
            if (outcome.kind === 'done' && outcome.cell.status === 'done') limiter.onSuccess();
            onCell(outcome.cell);
          })
          .finally(() => active.delete(p));
        active.add(p);
      }
      if (active.size > 0) await Promise.race(active);
    }
    await Promise.all(active);
  }

  async #runCell(run: StoredRun, task: Task, signal: AbortSignal): Promise<Outcome> {
    const { pc, modelId, repeat } = task;
    // Repeat r samples with seed + r: one fixed seed would make every repeat a byte-identical copy.
    const params = paramsForRepeat(paramsFor(run.spec, modelId, run.params), repeat);
    // The run knows a suite provider by its identity (ref, or ref#label); the generation needs the ref.
    const ref = modelRefOf(run.spec, modelId);
    const { provider } = parseRef(ref);
    // Parallel cells of a local model share one context, one sequence each, so they decode in one batch.
    const sequences = this.#concurrency(run, provider);
    let text = '';
    let metrics: GenerationMetrics;
    const started = performance.now();
    let error: { code: string; message: string } | null = null;
    try {
      // Tool calls with mock results (the case's or the tool's) are answered and the model continues.
      const done = await generateWithMockTools((messages, p) => this.#o.generation.stream(ref, messages, p, { signal, sequences, oneShot: true, dataPolicy: run.runCard.dataPolicy }), pc.messages, params, pc.mockToolResults);
      text = done.text;
      // A provider that ended without its `done` event broke the interface; the cell says so.
      metrics = done.metrics ?? failedMetrics(ref, new AppError('PROVIDER_BAD_RESPONSE', 'The model ended without a result.', { ref }), { aborted: signal.aborted, totalMs: performance.now() - started });
      error = metrics.error;
    } catch (thrown) {
      if (signal.aborted) return { kind: 'aborted' };
      metrics = failedMetrics(ref, thrown, { aborted: false, totalMs: performance.now() - started });
      error = metrics.error;
    }
    if (signal.aborted || metrics.stopReason === 'aborted') return { kind: 'aborted' };
    const base = { runId: run.id, caseId: pc.caseId, modelId, repeat, request: { messages: pc.messages, params }, output: text, metrics, finishedAt: new Date().toISOString() };
    if (error && text === '') {
      const cell: EvalCell = { ...base, status: 'error', pass: false, score: 0, assertions: [], error };
      return { kind: error.code === 'PROVIDER_RATE_LIMITED' ? 'rate-limited' : 'done', cell };
    }
    const verdict = await evaluateAssertions(pc.assertions, pc.threshold, {
      output: text,
      vars: pc.vars,
      prompt: pc.prompt,
      metrics,
      tools: params.tools,
      expected: pc.expected,
      defaultGrader: pc.grader ?? run.graderModel,
      defaultEmbeddingModel: run.embeddingModel,
      grade: this.#grade,
      embed: this.#o.embed ?? null,
      sandbox: this.#o.sandbox,
      jsTimeoutMs: this.#o.jsTimeoutMs ?? 1000,
      transform: pc.transform,
      signal,
    });
    if (signal.aborted) return { kind: 'aborted' };
    // A generation that broke midway keeps its partial text for the record but never passes.
    const failed = error !== null;
    const cell: EvalCell = { ...base, status: failed ? 'error' : 'done', pass: false, score: verdict.score, assertions: verdict.assertions, error };
    // A comparison still to run (select-best, max-score) decides the verdict: until the post-pass, not a pass.
    cell.pass = !failed && verdict.pass && !awaitsComparison(cell);
    return { kind: 'done', cell };
  }

  readonly #grade: GradeFunction = async (ref, messages, options) => {
    let text = '';
    for await (const event of this.#o.generation.stream(ref, messages, { temperature: 0, maxTokens: 256 }, { signal: options?.signal })) {
      if (event.type === 'done') {
        if (event.metrics.error && !event.text) throw new AppError('PROVIDER_BAD_RESPONSE', event.metrics.error.message);
        text = event.text;
      }
    }
    return text;
  };

  /** Facts only a generation reveals (file hash, backend, threads) go into the run card as they arrive. */
  #fillCard(runId: string, card: RunCard, cell: EvalCell): RunCard {
    const m = cell.metrics;
    let changed = false;
    const models = card.models.map((entry) => {
      if (entry.id !== cell.modelId || cell.status !== 'done') return entry;
      const next = {
        ...entry,
        sha256: entry.sha256 ?? m.modelSha256,
        backend: entry.backend ?? m.backend,
        threads: entry.threads ?? m.threads,
        gpuLayers: entry.gpuLayers ?? m.gpuLayers,
        providerModelId: entry.providerModelId ?? (m.host !== null ? m.model : null),
      };
      if (JSON.stringify(next) !== JSON.stringify(entry)) changed = true;
      return next;
    });
    if (!changed) return card;
    const next = { ...card, models };
    this.#o.runs.updateRunCard(runId, next);
    return next;
  }
}

/** Progress with an ETA from this session's pace; throttled to one event per 100 ms. */
class ProgressTracker {
  readonly #bus: EventBus | null;
  readonly #run: StoredRun;
  readonly #startedAt = performance.now();
  readonly #alreadyDone: number;
  #done: number;
  #passed: number;
  #errors = 0;
  #lastEmit = 0;

  constructor(bus: EventBus | null, run: StoredRun, alreadyDone: number) {
    this.#bus = bus;
    this.#run = run;
    this.#alreadyDone = alreadyDone;
    this.#done = alreadyDone;
    this.#passed = run.passedCells;
  }

  cellDone(cell: EvalCell): void {
    this.#done++;
    if (cell.pass) this.#passed++;
    if (cell.status === 'error') this.#errors++;
    this.emit('running', false);
  }

  /** A stored cell rewritten by the comparison post-pass may have changed its verdict. */
  cellUpdated(before: EvalCell, after: EvalCell): void {
    this.#passed += Number(after.pass) - Number(before.pass);
    this.emit('running', false);
  }

  emit(status: StoredRun['status'], force: boolean): void {
    if (!this.#bus) return;
    const now = performance.now();
    if (!force && now - this.#lastEmit < 100 && this.#done < this.#run.totalCells) return;
    this.#lastEmit = now;
    const elapsedMs = now - this.#startedAt;
    const doneHere = this.#done - this.#alreadyDone;
    const remaining = this.#run.totalCells - this.#done;
    const etaMs = status !== 'running' ? 0 : doneHere > 0 ? (elapsedMs / doneHere) * remaining : null;
    this.#bus.emit('evals.progress', {
      runId: this.#run.id,
      status,
      total: this.#run.totalCells,
      done: this.#done,
      passed: this.#passed,
      errors: this.#errors,
      elapsedMs,
      etaMs,
    });
  }
}
