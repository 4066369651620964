import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AbortedError, AppError } from '../../../shared/errors';
import { DocumentUnreadableError, type Section } from './parseDocument';
import { PARSE_WORKER_SOURCE } from './parseWorkerSource';

export interface DocumentParserOptions {
  /**
   * Heap limit of the parser's thread: a PDF or DOCX that needs more stops only its own parse
   * (the file is marked failed), never the app.
   */
  maxMemoryMb?: number;
}

type WorkerReply =
  | { type: 'section'; id: number; section: Section }
  | { type: 'html'; id: number; html: string }
  | { type: 'done'; id: number; threadId: number }
  | { type: 'failed'; id: number; failure: 'encrypted' | 'corrupt' | 'internal'; detail: string };

interface Job {
  id: number;
  path: string;
  kind: 'pdf' | 'docx';
  replies: Array<Extract<WorkerReply, { type: 'section' | 'html' }>>;
  end: { error: unknown } | { error: null } | null;
  wake: (() => void) | null;
}

/** Pages the worker may run ahead of the indexer: enough to overlap parsing with writing, few enough to keep memory flat. */
const CREDIT = 8;

/**
 * Parses PDF and DOCX files on a worker thread, so a 500-page PDF never blocks the main event
 * loop (IPC, the HTTP server, streaming generations). One file at a time; the worker is started on
 * first use, kept while idle (unreferenced, so it never holds a CLI open), terminated to cancel a
 * parse, and started afresh after a cancel or a crash.
 */
export class DocumentParser implements AsyncDisposable {
  readonly #maxMemoryMb: number;
  #worker: Worker | null = null;
  #job: Job | null = null;
  #turn: Promise<void> = Promise.resolve();
  #nextId = 1;
  #threadId: number | null = null;
  #disposed = false;

  constructor(options: DocumentParserOptions = {}) {
    this.#maxMemoryMb = options.maxMemoryMb ?? 1024;
  }

  /** The thread that finished the latest parse (never the caller's): for diagnostics and tests. */
  get threadId(): number | null {
    return this.#threadId;
  }

  /** A PDF's text page by page, as pdf.js extracts it. */
  async *pdfPages(path: string, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<Section> {
    for await (const reply of this.#parse(path, 'pdf', signal)) if (reply.type === 'section') yield reply.section;
  }

  /** A DOCX rendered as HTML by mammoth. */
  async docxHtml(path: string, { signal }: { signal?: AbortSignal } = {}): Promise<string> {
    let html = '';
    for await (const reply of this.#parse(path, 'docx', signal)) if (reply.type === 'html') html = reply.html;
    return html;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    if (this.#job) this.#end(this.#job, { error: new AbortedError('Parity is shutting down.') });
    await this.#stopWorker();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async *#parse(path: string, kind: Job['kind'], signal: AbortSignal | undefined): AsyncGenerator<Job['replies'][number]> {
    let release!: () => void;
    const previous = this.#turn;
    this.#turn = new Promise((resolve) => (release = resolve));
    await previous;
    let finished = false;
    const job: Job = { id: this.#nextId++, path, kind, replies: [], end: null, wake: null };
    const onAbort = () => {
      this.#end(job, { error: new AbortedError('Indexing was cancelled.') });
      // Terminated rather than asked: a single page or a DOCX conversion can run for seconds.
      void this.#stopWorker();
    };
    try {
      if (this.#disposed) throw new AppError('ABORTED', 'Parity is shutting down.');
      if (signal?.aborted) throw new AbortedError('Indexing was cancelled.');
      // Read here, where a missing or unreadable file keeps its usual error; the bytes are moved, not copied.
      const file = await readFile(path);
      const data = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
      const transfer = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength ? [file.buffer] : [];
      if (signal?.aborted) throw new AbortedError('Indexing was cancelled.');
      signal?.addEventListener('abort', onAbort, { once: true });
      const worker = this.#ensureWorker();
      this.#job = job;
      worker.ref();
      worker.postMessage({ type: 'parse', id: job.id, kind, data, credit: CREDIT }, transfer);
      for (;;) {
        const reply = await this.#next(job);
        if (reply === null) break;
        yield reply;
        this.#worker?.postMessage({ type: 'credit', id: job.id, n: 1 });
      }
      finished = true;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (this.#job === job) this.#job = null;
      // A parse that did not run to its end (error, cancel, or a caller that stopped reading) may
      // still be running: the worker goes with it.
      if (!finished) await this.#stopWorker();
      else this.#worker?.unref();
      release();
    }
  }

  async #next(job: Job): Promise<Job['replies'][number] | null> {
    for (;;) {
      const reply = job.replies.shift();
      if (reply) return reply;
      if (job.end) {
        if (job.end.error !== null) throw job.end.error;
        return null;
      }
      await new Promise<void>((resolve) => (job.wake = resolve));
    }
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(PARSE_WORKER_SOURCE, {
      eval: true,
      name: 'parity-document-parser',
      workerData: { unpdfPath: require.resolve('unpdf'), mammothPath: require.resolve('mammoth') },
      resourceLimits: { maxOldGenerationSizeMb: this.#maxMemoryMb },
    });
    worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    worker.on('error', (error: Error & { code?: string }) => this.#onWorkerGone(worker, crashReason(error, this.#maxMemoryMb)));
    worker.on('exit', (code) => this.#onWorkerGone(worker, `the document parser stopped unexpectedly (exit code ${code})`));
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: WorkerReply): void {
    const job = this.#job;
    if (!job || job.id !== reply.id) return;
    switch (reply.type) {
      case 'done':
        this.#threadId = reply.threadId;
        this.#end(job, { error: null });
        return;
      case 'failed':
        this.#end(job, { error: failureError(job, reply) });
        return;
      default:
        job.replies.push(reply);
        this.#wake(job);
    }
  }

  #onWorkerGone(worker: Worker, reason: string): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    const job = this.#job;
    if (!job) return;
    this.#end(
      job,
      { error: new AppError('INTERNAL', `The file could not be parsed: ${reason}. Other files are not affected; if it keeps happening, the file may be damaged or too large.`, { path: job.path, kind: job.kind }) },
    );
  }

  #end(job: Job, end: NonNullable<Job['end']>): void {
    if (job.end) return;
    job.end = end;
    this.#wake(job);
  }

  #wake(job: Job): void {
    const wake = job.wake;
    job.wake = null;
    wake?.();
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }
}

function crashReason(error: Error & { code?: string }, maxMemoryMb: number): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return `the document parser ran out of memory (limit ${maxMemoryMb} MB)`;
  return `the document parser failed (${error.message})`;
}

function failureError(job: Job, reply: Extract<WorkerReply, { type: 'failed' }>): AppError {
  const path = job.path;
  if (reply.failure === 'encrypted') {
    return new DocumentUnreadableError('encrypted', 'The PDF is password-protected (encrypted). Save an unprotected copy and add that instead.', { path });
  }
  if (reply.failure === 'corrupt' && job.kind === 'pdf') {
    return new DocumentUnreadableError('corrupt', `The PDF cannot be read (${reply.detail}). It may be damaged or not a PDF.`, { path });
  }
  if (reply.failure === 'corrupt') {
    return new DocumentUnreadableError('corrupt', `The DOCX cannot be read (${reply.detail}). It may be damaged, or an older .doc renamed to .docx.`, { path });
  }
  return new AppError('INTERNAL', `The file could not be parsed: ${reply.detail}`, { path, kind: job.kind });
}
