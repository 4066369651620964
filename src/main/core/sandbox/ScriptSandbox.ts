import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SANDBOX_WORKER_SOURCE } from './sandboxWorkerSource';

export interface ScriptSandboxOptions {
  /** Default wall-clock limit of one script. */
  timeoutMs?: number;
  /** Memory limit of one script's QuickJS runtime; covers ArrayBuffers, strings and objects alike. */
  memoryMb?: number;
}

export interface ScriptRunOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What a script may return: plain JSON data only. */
export type SandboxValue = boolean | number | string | null | undefined | { pass?: unknown; score?: unknown; reason?: unknown } | unknown[];

/** Why a script did not produce a value: its own exception, the time limit, the memory limit, or a cancel. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  constructor(
    message: string,
    readonly kind: 'error' | 'timeout' | 'memory' | 'aborted',
  ) {
    super(message);
  }
}

interface Job {
  id: number;
  code: string;
  input: string;
  timeoutMs: number;
  resolve: (value: SandboxValue) => void;
  reject: (error: SandboxError) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
}

interface WorkerReply {
  id: number;
  ok: boolean;
  /** JSON text of `{ value }` or `{ undefined: true }` (made inside the isolate). */
  json?: string;
  kind?: 'error' | 'timeout' | 'memory';
  message?: string;
}

/** Largest result a script may hand back: a verdict, not a data dump. */
const MAX_RESULT_CHARS = 1_000_000;

/**
 * Runs untrusted suite code (javascript assertions, regexes from suites, later transforms and user
 * detector patterns) in QuickJS compiled to WebAssembly. The isolate is given two strings (the
 * code, and the input as JSON text) and gives back one string (the result as JSON text): no host
 * function or object is ever reachable from inside, so there is nothing to climb out through,
 * unlike `node:vm`, whose contexts share the host's realm machinery.
 *
 * QuickJS's own limits stop a script: an interrupt handler for time (checked in loops and inside
 * the regex engine) and a memory limit that covers ArrayBuffers. The isolate lives in one worker
 * thread so a script running up to its time limit never blocks the main process's event loop;
 * the worker is terminated and replaced if a script ever outlives its limit by a margin.
 */
export class ScriptSandbox implements AsyncDisposable {
  readonly #timeoutMs: number;
  readonly #memoryBytes: number;
  readonly #queue: Job[] = [];
  #worker: Worker | null = null;
  #current: Job | null = null;
  #backstop: NodeJS.Timeout | null = null;
  #nextId = 1;
  #disposed = false;

  constructor(options: ScriptSandboxOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#memoryBytes = (options.memoryMb ?? 32) * 1024 * 1024;
  }

  /**
   * Runs `code` as an expression, or as a function body when it does not parse as one (decided
   * by the parser inside the isolate), with `output` and `context` as arguments.
   */
  run(code: string, output: unknown, context: Record<string, unknown>, options: ScriptRunOptions = {}): Promise<SandboxValue> {
    if (this.#disposed) return Promise.reject(new SandboxError('the script sandbox is closed', 'aborted'));
    let input: string;
    try {
      input = JSON.stringify({ output, context });
    } catch {
      return Promise.reject(new SandboxError('the assertion input is not plain data', 'error'));
    }
    return new Promise<SandboxValue>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, code, input, timeoutMs: options.timeoutMs ?? this.#timeoutMs, resolve, reject, signal: options.signal, onAbort: null };
      if (options.signal?.aborted) return reject(new SandboxError('cancelled', 'aborted'));
      if (options.signal) {
        job.onAbort = () => this.#abort(job);
        options.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.#queue.push(job);
      this.#pump();
    });
  }

  /** `new RegExp(pattern, flags).test(text)` inside the isolate, under its time limit. */
  async testRegex(pattern: string, flags: string, text: string, options: ScriptRunOptions = {}): Promise<boolean> {
    const value = await this.run('new RegExp(context.pattern, context.flags).test(output)', text, { pattern, flags }, options);
    return value === true;
  }

  /**
   * Every match of a user's pattern as [start, end) pairs (UTF-16 indices, as JavaScript counts),
   * found inside the isolate under its time limit; at most `limit` matches.
   */
  async regexSpans(pattern: string, flags: string, text: string, options: ScriptRunOptions & { limit?: number } = {}): Promise<Array<[number, number]>> {
    const code = [
      "const re = new RegExp(context.pattern, context.flags.replace(/[gy]/g, '') + 'g');",
      'const out = [];',
      'for (let m = re.exec(output); m && out.length < context.limit; m = re.exec(output)) {',
      '  if (m[0].length === 0) { re.lastIndex += 1; continue; }',
      '  out.push([m.index, m.index + m[0].length]);',
      '}',
      'return out;',
    ].join('\n');
    const value = await this.run(code, text, { pattern, flags, limit: options.limit ?? 10_000 }, options);
    return Array.isArray(value) ? (value as Array<[number, number]>) : [];
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const job of this.#queue.splice(0)) this.#settle(job, () => job.reject(new SandboxError('the script sandbox is closed', 'aborted')));
    if (this.#current) {
      const job = this.#current;
      this.#current = null;
      this.#settle(job, () => job.reject(new SandboxError('the script sandbox is closed', 'aborted')));
    }
    this.#clearBackstop();
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #pump(): void {
    if (this.#current || this.#disposed) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#current = job;
    const worker = this.#ensureWorker();
    worker.ref();
    worker.postMessage({ id: job.id, code: job.code, input: job.input, timeoutMs: job.timeoutMs, memoryBytes: this.#memoryBytes });
    // QuickJS's interrupt handler is the real limit; this only catches a worker that stopped answering
    // (the margin covers loading the WebAssembly module on the first job).
    this.#backstop = setTimeout(() => this.#restart(job, new SandboxError(`timed out after ${job.timeoutMs} ms`, 'timeout')), job.timeoutMs + 2000);
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(SANDBOX_WORKER_SOURCE, {
      eval: true,
      workerData: {
        corePath: require.resolve('quickjs-emscripten-core'),
        variantPath: require.resolve('@jitl/quickjs-singlefile-cjs-release-sync'),
      },
      // The isolate's memory is WebAssembly memory; this caps the worker's own JS heap as a second wall.
      resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      env: {},
      stdout: true,
      stderr: true,
    });
    worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    worker.on('error', (error) => this.#onWorkerGone(worker, `the script sandbox failed: ${error.message}`));
    worker.on('exit', (code) => this.#onWorkerGone(worker, `the script sandbox stopped (exit ${code})`));
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: WorkerReply): void {
    const job = this.#current;
    if (!job || job.id !== reply.id) return;
    this.#current = null;
    this.#clearBackstop();
    this.#worker?.unref();
    if (reply.ok) {
      this.#settle(job, () => {
        const json = reply.json ?? '{"undefined":true}';
        if (json.length > MAX_RESULT_CHARS) return job.reject(new SandboxError('the script returned too much data', 'error'));
        const parsed = JSON.parse(json) as { value?: SandboxValue; undefined?: boolean };
        job.resolve(parsed.undefined ? undefined : parsed.value);
      });
    } else {
      this.#settle(job, () => job.reject(new SandboxError(reply.message ?? 'the script threw', reply.kind ?? 'error')));
    }
    this.#pump();
  }

  #onWorkerGone(worker: Worker, message: string): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    const job = this.#current;
    this.#current = null;
    this.#clearBackstop();
    if (job) this.#settle(job, () => job.reject(new SandboxError(message, 'error')));
    this.#pump();
  }

  #restart(job: Job, error: SandboxError): void {
    const worker = this.#worker;
    this.#worker = null;
    this.#current = null;
    this.#clearBackstop();
    if (worker) void worker.terminate();
    this.#settle(job, () => job.reject(error));
    this.#pump();
  }

  #abort(job: Job): void {
    const queued = this.#queue.indexOf(job);
    if (queued >= 0) {
      this.#queue.splice(queued, 1);
      this.#settle(job, () => job.reject(new SandboxError('cancelled', 'aborted')));
    } else if (this.#current === job) {
      this.#restart(job, new SandboxError('cancelled', 'aborted'));
    }
  }

  #settle(job: Job, fn: () => void): void {
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    job.onAbort = null;
    fn();
  }

  #clearBackstop(): void {
    if (this.#backstop) clearTimeout(this.#backstop);
    this.#backstop = null;
  }
}
