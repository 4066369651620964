import { stat } from 'node:fs/promises';
import { freemem } from 'node:os';
import { getLlama, LlamaLogLevel, type Llama, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { AbortedError, AppError } from '../../../shared/errors';
import type { ResolvedLocalModel } from '../models/LocalModelResolver';
import { mapLoadError } from './engineErrors';
import { LoadedModel } from './LoadedModel';

const DISPOSE_TIMEOUT_MS = 3000;

export type GpuLayersOption = number | 'auto' | 'max';

export interface LlamaEngineOptions {
  /** 'auto' detects Metal/CUDA/Vulkan (the app); false forces CPU (tests, this CI machine). */
  gpu?: 'auto' | false;
  /** Read on every check, so a settings change applies without a restart. 0 = never unload on idle. */
  idleUnloadMinutes?: () => number;
  /** Soft cap on the weights kept loaded; 0 = no limit. Least-recently-used idle models go first. */
  memoryBudgetMb?: () => number;
  /** Free RAM in bytes (os.freemem); injectable so the automatic budget can be tested. */
  freeMemoryBytes?: () => number;
  /** Sequences per context: how many conversations share one batch on one model. */
  sequencesPerContext?: number;
  /** Called when the set of loaded models changes (load, unload, idle eviction). */
  onChange?: () => void;
}

export interface LoadOptions {
  gpuLayers?: GpuLayersOption;
  signal?: AbortSignal;
  onLoadProgress?: (progress: number) => void;
}

export interface AcquireOptions extends LoadOptions {
  contextSize?: number;
  threads: number;
  /** Sequences per context (parallel generations batched together); the engine default when absent. */
  sequences?: number;
  /** Start on an empty sequence (see ContextKeyOptions.fresh); evals set it, chat keeps its cache. */
  fresh?: boolean;
  /** The tokens the generation evaluates first, to pick a sequence already holding a prefix of them (ContextKeyOptions.prompt). */
  prompt?: readonly Token[];
}

/** A sequence of a loaded model, held until released: `using lease = await engine.acquire(...)` gives it back at the end of the block. */
export interface SequenceLease extends Disposable {
  readonly loaded: LoadedModel;
  readonly sequence: LlamaContextSequence;
  /** Time spent loading the model for this request; 0 when it was already in memory. */
  readonly loadMs: number;
  /** Gives the sequence back. Only the first call counts, so an early release and `using` can both run. */
  release(): void;
}

export interface LoadedModelStatus {
  id: string;
  name: string;
  path: string;
  sizeBytes: number;
  gpuLayers: number;
  activeLeases: number;
  contexts: number;
  lastUsedAt: string;
}

export interface EngineStatus {
  backend: string;
  devices: string[];
  vram: { totalBytes: number; usedBytes: number; freeBytes: number } | null;
  cpuMathCores: number;
  loaded: LoadedModelStatus[];
}

/**
 * The one llama.cpp runtime of this process: a single lazy `getLlama()`, a cache of loaded
 * models (idle timer + memory budget) and leases of context sequences over them. It never
 * builds llama.cpp from source, and a failed load is an AppError, never a crash.
 */
export class LlamaEngine implements AsyncDisposable {
  readonly #options: LlamaEngineOptions;
  #llama: Promise<Llama> | null = null;
  readonly #loaded = new Map<string, LoadedModel>();
  readonly #loading = new Map<string, Promise<LoadedModel>>();
  /** Unloads still running: disposing the runtime while a model is being freed hangs llama.cpp. */
  readonly #unloading = new Set<Promise<void>>();
  #disposed = false;

  constructor(options: LlamaEngineOptions = {}) {
    this.#options = options;
  }

  /** The shared runtime; the model library uses it for its fit calculation. */
  getLlama(): Promise<Llama> {
    if (this.#disposed) return Promise.reject(new AppError('INTERNAL', 'The inference engine was shut down.'));
    if (!this.#llama) {
      const gpu = this.#options.gpu ?? 'auto';
      this.#llama = getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false }).catch((error: unknown) => {
        this.#llama = null;
        throw mapLoadError(error, { path: 'llama.cpp', name: 'the llama.cpp runtime' });
      });
    }
    return this.#llama;
  }

  async status(): Promise<EngineStatus> {
    const llama = await this.getLlama();
    const [devices, vram] = await Promise.all([
      llama.getGpuDeviceNames().catch(() => [] as string[]),
      llama.gpu === false ? Promise.resolve(null) : llama.getVramState().catch(() => null),
    ]);
    return {
      backend: llama.gpu === false ? 'cpu' : llama.gpu,
      devices,
      vram: vram ? { totalBytes: vram.total, usedBytes: vram.used, freeBytes: vram.free } : null,
      cpuMathCores: llama.cpuMathCores,
      loaded: [...this.#loaded.values()].map((m) => ({
        id: m.info.id,
        name: m.info.name,
        path: m.info.path,
        sizeBytes: m.sizeBytes,
        gpuLayers: m.model.gpuLayers,
        activeLeases: m.activeLeases,
        contexts: m.contextCount(),
        lastUsedAt: new Date(m.lastUsed).toISOString(),
      })),
    };
  }

  /** 'cpu', 'cuda', 'metal' or 'vulkan' (starts the runtime if needed). */
  async backend(): Promise<string> {
    const llama = await this.getLlama();
    return llama.gpu === false ? 'cpu' : llama.gpu;
  }

  isLoaded(modelId: string): boolean {
    for (const m of this.#loaded.values()) if (m.info.id === modelId) return true;
    return false;
  }

  /** Loads (or returns the already loaded) model; `loadMs` is 0 when nothing had to be loaded. */
  async load(info: ResolvedLocalModel, options: LoadOptions = {}): Promise<{ loaded: LoadedModel; loadMs: number }> {
    const gpuLayers = options.gpuLayers ?? 'auto';
    const key = `${info.path}#${gpuLayers}`;
    const existing = this.#loaded.get(key);
    if (existing) {
      // Re-insert so Map order stays least-recently-used first.
      this.#loaded.delete(key);
      this.#loaded.set(key, existing);
      existing.lastUsed = Date.now();
      return { loaded: existing, loadMs: 0 };
    }
    const started = performance.now();
    let pending = this.#loading.get(key);
    if (!pending) {
      pending = this.#loadNew(key, info, gpuLayers, options).finally(() => this.#loading.delete(key));
      this.#loading.set(key, pending);
    }
    const loaded = await pending;
    // A model loaded ahead of use (engine.load) also goes idle; acquire() cancels the timer.
    this.#scheduleIdleUnload(loaded);
    return { loaded, loadMs: performance.now() - started };
  }

  async #loadNew(key: string, info: ResolvedLocalModel, gpuLayers: GpuLayersOption, options: LoadOptions): Promise<LoadedModel> {
    const { signal } = options;
    if (signal?.aborted) throw new AbortedError(`Loading ${info.name} was cancelled.`);
    const llama = await this.getLlama();
    let fileBytes = 0;
    try {
      fileBytes = (await stat(info.path)).size;
    } catch (error) {
      throw new AppError('NOT_FOUND', `The model file ${info.path} is missing. Re-import it or remove it from the library.`, { path: info.path }, { cause: error });
    }
    await this.#makeRoom(fileBytes);
    let model;
    try {
      model = await llama.loadModel({
        modelPath: info.path,
        gpuLayers,
        loadSignal: signal,
        onLoadProgress: options.onLoadProgress
          ? (p) => {
              try {
                options.onLoadProgress?.(p);
              } catch {
                // A broken progress listener must not fail the load.
              }
            }
          : undefined,
      });
    } catch (error) {
      throw mapLoadError(error, { path: info.path, name: info.name }, signal);
    }
    if (this.#disposed) {
      await model.dispose();
      throw new AppError('INTERNAL', 'The inference engine was shut down while loading.');
    }
    const loaded = new LoadedModel(info, model, gpuLayers, this.#options.sequencesPerContext ?? 2);
    this.#loaded.set(key, loaded);
    this.#notify();
    return loaded;
  }

  /**
   * Evicts idle models, least recently used first, until `incomingBytes` fits the budget. With no
   * budget set (0) the budget is what loaded models use plus the free memory: an idle model is
   * unloaded rather than a new load failing for want of memory.
   */
  async #makeRoom(incomingBytes: number): Promise<void> {
    const budgetMb = this.#options.memoryBudgetMb?.() ?? 0;
    let used = [...this.#loaded.values()].reduce((sum, m) => sum + m.sizeBytes, 0);
    const budget = budgetMb > 0 ? budgetMb * 1024 * 1024 : used + (this.#options.freeMemoryBytes ?? freemem)();
    for (const [key, m] of [...this.#loaded.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)) {
      if (used + incomingBytes <= budget) break;
      if (m.activeLeases > 0) continue;
      this.#loaded.delete(key);
      used -= m.sizeBytes;
      await this.#track(m.dispose());
    }
    this.#notify();
  }

  /** Borrows a context sequence on the model, loading the model first if needed. */
  async acquire(info: ResolvedLocalModel, options: AcquireOptions): Promise<SequenceLease> {
    const { loaded, loadMs } = await this.load(info, options);
    const contextSize = options.contextSize ?? loaded.defaultContextSize();
    const { sequence, release } = await loaded.acquire(
      { contextSize, threads: options.threads, sequences: options.sequences, fresh: options.fresh, prompt: options.prompt },
      options.signal,
    );
    let released = false;
    const giveBack = (): void => {
      if (released) return;
      released = true;
      release();
      this.#scheduleIdleUnload(loaded);
    };
    return { loaded, sequence, loadMs, release: giveBack, [Symbol.dispose]: giveBack };
  }

  #scheduleIdleUnload(loaded: LoadedModel): void {
    if (loaded.activeLeases > 0 || this.#disposed) return;
    const minutes = this.#options.idleUnloadMinutes?.() ?? 0;
    if (minutes <= 0) return;
    if (loaded.idleTimer) clearTimeout(loaded.idleTimer);
    loaded.idleTimer = setTimeout(() => {
      loaded.idleTimer = null;
      if (loaded.activeLeases === 0) void this.#unloadEntry(loaded);
    }, minutes * 60_000);
    // An idle timer must never keep the CLI or a test process alive.
    loaded.idleTimer.unref();
  }

  async #unloadEntry(loaded: LoadedModel): Promise<void> {
    for (const [key, m] of this.#loaded) if (m === loaded) this.#loaded.delete(key);
    await this.#track(loaded.dispose());
    this.#notify();
  }

  #track(disposal: Promise<void>): Promise<void> {
    const tracked = disposal.finally(() => this.#unloading.delete(tracked));
    this.#unloading.add(tracked);
    return tracked;
  }

  /** Unloads every loaded copy of a model. Refuses while a generation is using it. */
  async unload(modelId: string): Promise<boolean> {
    const matches = [...this.#loaded.values()].filter((m) => m.info.id === modelId);
    const busy = matches.find((m) => m.activeLeases > 0);
    if (busy) throw new AppError('CONFLICT', `${busy.info.name} is generating an answer. Stop it first, then unload.`, { modelId });
    for (const m of matches) await this.#unloadEntry(m);
    return matches.length > 0;
  }

  #notify(): void {
    try {
      this.#options.onChange?.();
    } catch {
      // A listener must not break loading.
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.allSettled(this.#loading.values());
    for (const m of this.#loaded.values()) await m.dispose().catch(() => undefined);
    this.#loaded.clear();
    await Promise.allSettled([...this.#unloading]);
    const llama = await this.#llama?.catch(() => null);
    if (!llama) return;
    // node-llama-cpp 3.22's Llama.dispose() can hang after a model failed to load (seen with
    // truncated/non-GGUF files). Shutdown must not hang on it: the process frees the memory anyway.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      llama.dispose().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), DISPOSE_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) console.error(`llama.cpp runtime did not shut down within ${DISPOSE_TIMEOUT_MS} ms; leaving it to process exit.`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
