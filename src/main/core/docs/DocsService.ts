import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Collection, DocumentInfo, ExpectedSource, IngestJob, RetrievalCaseResult, RetrievalMetricRow, SearchMode, SearchResult } from '../../../shared/contract/docs';
import { isLocal, localRef, parse } from '../../../shared/domain/modelRef';
import { AppError, NotFoundError, ValidationError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { CollectionRecord, DocsRepository } from '../store/DocsRepository';
import { DocumentParser } from './DocumentParser';
import { expandPaths } from './expandPaths';
import { indexDocument, type DocsEmbedFunction } from './indexDocument';
import { evaluateRetrieval } from './retrievalEval';
import { parseRetrievalSuite } from './retrievalSuite';
import { searchCollection } from './searchCollection';

export const DEFAULT_CHUNK_SIZE = 1000;
export const DEFAULT_CHUNK_OVERLAP = 150;

export interface DocsServiceOptions {
  repo: DocsRepository;
  bus: EventBus;
  /** Null where no local engine exists: collections then index for keyword search only. */
  embed: DocsEmbedFunction | null;
  /** Checks an embedding model exists (importing a .gguf path into the library) and returns its canonical ref. */
  resolveEmbeddingModel?: (ref: string) => Promise<string>;
  /** Parses PDF and DOCX on a worker thread; the service owns it (disposes it). One is made if not given. */
  parser?: DocumentParser;
  now?: () => string;
}

interface Job {
  info: IngestJob;
  controller: AbortController;
  documentIds: number[];
  done: Promise<void>;
  /** The file being indexed now, with its own stop (removing that file stops only it) and its end. */
  current: { id: number; controller: AbortController; done: Promise<unknown> } | null;
}

/**
 * Document collections: ingestion in the background (one job at a time, since parsing and
 * embedding are CPU-bound on the same cores as generation), with progress events and cancel, and
 * search over what is indexed.
 */
export class DocsService implements AsyncDisposable {
  readonly #o: DocsServiceOptions;
  readonly #parser: DocumentParser;
  readonly #jobs = new Map<string, Job>();
  #queue: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(options: DocsServiceOptions) {
    this.#o = options;
    this.#parser = options.parser ?? new DocumentParser();
  }

  /** Loads the vector extension and marks files a previous run left half-indexed as failed. */
  start(): void {
    this.#o.repo.loadVectorExtension();
    this.#o.repo.markInterrupted('Parity stopped before this file was indexed; add it again.');
  }

  get vectorsAvailable(): boolean {
    return this.#o.repo.vectorsAvailable;
  }

  async createCollection(input: { name: string; embeddingModel?: string | null; chunkSize?: number; chunkOverlap?: number }): Promise<Collection> {
    const name = input.name.trim();
    if (this.#o.repo.findCollection(name)) throw new AppError('CONFLICT', `A collection named "${name}" already exists.`, { name });
    let embeddingModel: string | null = null;
    if (input.embeddingModel) {
      const ref = parse(input.embeddingModel).provider === '' ? localRef(input.embeddingModel) : input.embeddingModel;
      if (!isLocal(ref)) throw new ValidationError(`Embeddings are computed on this device: "${input.embeddingModel}" is not a local model.`, { field: 'embeddingModel' });
      embeddingModel = this.#o.resolveEmbeddingModel ? await this.#o.resolveEmbeddingModel(ref) : ref;
    }
    return publicCollection(
      this.#o.repo.createCollection({
        name,
        embeddingModel,
        chunkSize: input.chunkSize ?? DEFAULT_CHUNK_SIZE,
        chunkOverlap: input.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP,
        createdAt: this.#now(),
      }),
    );
  }

  listCollections(): Collection[] {
    return this.#o.repo.listCollections().map(publicCollection);
  }

  collection(name: string): CollectionRecord {
    const c = this.#o.repo.findCollection(name);
    if (!c) throw new NotFoundError('Collection', name);
    return c;
  }

  async removeCollection(name: string): Promise<{ removed: string }> {
    const c = this.collection(name);
    await this.#cancelJobsOf(c.id);
    this.#o.repo.removeCollection(c.id);
    return { removed: c.name };
  }

  listFiles(name: string): DocumentInfo[] {
    return this.#o.repo.listDocuments(this.collection(name).id);
  }

  async removeFiles(name: string, documentIds: readonly number[]): Promise<{ removed: number }> {
    const c = this.collection(name);
    // A file being indexed right now is stopped first, so its job does not write to a removed row;
    // the job goes on with its other files.
    for (const job of this.#jobs.values()) {
      const current = job.current;
      if (current && documentIds.includes(current.id)) {
        current.controller.abort();
        await current.done.catch(() => undefined);
      }
    }
    return { removed: this.#o.repo.removeDocuments(c.id, documentIds) };
  }

  /** Queues files and folders; indexing runs in the background unless `wait` is set. */
  async add(name: string, paths: readonly string[], { wait = false }: { wait?: boolean } = {}): Promise<{ job: IngestJob; documents: DocumentInfo[] }> {
    if (this.#disposed) throw new AppError('ABORTED', 'Parity is shutting down.');
    const collection = this.collection(name);
    const files = await expandPaths(paths);
    if (files.length === 0) throw new ValidationError('No supported documents (PDF, DOCX, Markdown, HTML, text, CSV) were found there.', { paths });
    const now = this.#now();
    const documents = this.#o.repo.queueDocuments(files.map((f) => ({ collectionId: collection.id, ...f, addedAt: now })));
    const job: Job = {
      info: { jobId: randomUUID(), collectionId: collection.id, state: 'running', filesTotal: documents.length, filesDone: 0, skipped: 0, failed: 0 },
      controller: new AbortController(),
      documentIds: documents.map((d) => d.id),
      done: Promise.resolve(),
      current: null,
    };
    this.#jobs.set(job.info.jobId, job);
    this.#o.bus.emit('docs.job', job.info);
    // A job that throws (a bug, not a bad file: those are marked failed) must not stall the ones after it.
    this.#queue = this.#queue.then(() => this.#run(job)).catch((error: unknown) => console.error('parity: document indexing stopped:', error));
    job.done = this.#queue;
    if (wait) {
      await job.done;
      return { job: { ...job.info }, documents: job.documentIds.map((id) => this.#o.repo.getDocument(id)).filter((d) => d !== null) };
    }
    return { job: { ...job.info }, documents };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.#jobs.get(jobId);
    if (!job || job.info.state !== 'running') return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  jobs(): IngestJob[] {
    return [...this.#jobs.values()].map((j) => ({ ...j.info }));
  }

  async search(name: string, query: string, { k = 5, mode = 'hybrid', signal }: { k?: number; mode?: SearchMode; signal?: AbortSignal } = {}): Promise<SearchResult> {
    const collection = this.collection(name);
    const result = await searchCollection({ repo: this.#o.repo, collection, query, k, mode, embed: this.#o.embed, signal });
    return { collection: collection.name, query, k, ...result };
  }

  /**
   * recall@k and MRR of the collection on cases with expected sources, per mode and k; for each
   * other chunk size, its ready files are indexed again into a temporary collection (same
   * embedding model), measured, and that collection removed.
   */
  async evaluate(
    name: string,
    input: { cases: ReadonlyArray<{ id?: string; query: string; expectedSources: ExpectedSource[] }>; ks: readonly number[]; modes: readonly SearchMode[]; chunkSizes?: readonly number[] },
    { signal }: { signal?: AbortSignal } = {},
  ): Promise<{ collection: string; rows: RetrievalMetricRow[]; cases: RetrievalCaseResult[] }> {
    const base = this.collection(name);
    const cases = input.cases.map((c, i) => ({ id: c.id ?? `case ${i + 1}`, query: c.query, expected: c.expectedSources }));
    const rows: RetrievalMetricRow[] = [];
    const results: RetrievalCaseResult[] = [];
    for (const chunkSize of input.chunkSizes ?? [base.chunkSize]) {
      let target = base;
      let temporary: string | null = null;
      try {
        if (chunkSize !== base.chunkSize) {
          temporary = `${base.name} (evaluation, chunks of ${chunkSize}) ${randomUUID().slice(0, 8)}`;
          await this.createCollection({ name: temporary, embeddingModel: base.embeddingModel, chunkSize, chunkOverlap: Math.min(base.chunkOverlap, Math.floor(chunkSize / 4)) });
          const paths = this.#o.repo.listDocuments(base.id).filter((d) => d.status === 'ready').map((d) => d.path);
          if (paths.length > 0) await this.add(temporary, paths, { wait: true });
          target = this.collection(temporary);
        }
        const measured = await evaluateRetrieval({
          cases,
          modes: input.modes,
          ks: input.ks,
          chunkSize,
          signal,
          search: (query, k, mode) => this.search(target.name, query, { k, mode, signal }),
        });
        rows.push(...measured.rows);
        results.push(...measured.cases);
      } finally {
        if (temporary !== null) await this.removeCollection(temporary).catch(() => undefined);
      }
    }
    return { collection: base.name, rows, cases: results };
  }

  /** `evaluate` on a suite file: its cases with expected sources, on its collection unless one is named. */
  async evaluateSuite(
    input: { suitePath: string; collection?: string; ks: readonly number[]; modes: readonly SearchMode[]; chunkSizes?: readonly number[] },
    options: { signal?: AbortSignal } = {},
  ) {
    let text: string;
    try {
      text = await readFile(input.suitePath, 'utf8');
    } catch (error) {
      throw new AppError('NOT_FOUND', `Cannot read the suite ${input.suitePath}: ${error instanceof Error ? error.message : String(error)}`, { path: input.suitePath });
    }
    const suite = parseRetrievalSuite(text, input.suitePath);
    const name = input.collection ?? suite.collection;
    if (!name) throw new ValidationError('Name the collection to search: choose one, or give the suite a top-level `collection:`.', { field: 'collection' });
    const result = await this.evaluate(name, { cases: suite.cases, ks: input.ks, modes: input.modes, chunkSizes: input.chunkSizes }, options);
    return { ...result, description: suite.description, caseCount: suite.cases.length };
  }

  async #run(job: Job): Promise<void> {
    const { repo, bus } = this.#o;
    const signal = job.controller.signal;
    try {
      for (const id of job.documentIds) {
        const document = repo.getDocument(id);
        const collection = repo.getCollection(job.info.collectionId);
        if (!document || !collection) {
          // Removed while it waited: no longer part of this job.
          job.info.filesTotal--;
          continue;
        }
        if (signal.aborted) {
          this.#unqueue(job, document);
          continue;
        }
        const controller = new AbortController();
        const stop = () => controller.abort();
        signal.addEventListener('abort', stop, { once: true });
        const done = indexDocument({
          repo,
          collection,
          document,
          embed: this.#o.embed,
          parser: this.#parser,
          signal: controller.signal,
          now: () => this.#now(),
          onProgress: (d) => bus.emit('docs.progress', { jobId: job.info.jobId, document: d }),
        }).catch((error: unknown) => {
          if (controller.signal.aborted) return 'cancelled' as const;
          throw error;
        });
        job.current = { id, controller, done };
        const outcome = await done.finally(() => {
          job.current = null;
          signal.removeEventListener('abort', stop);
        });
        if (outcome === 'cancelled') {
          if (!signal.aborted) job.info.filesTotal--;
          continue;
        }
        job.info.filesDone++;
        if (outcome === 'skipped') job.info.skipped++;
        if (outcome === 'failed') job.info.failed++;
        bus.emit('docs.job', { ...job.info });
      }
    } finally {
      job.info.state = signal.aborted ? 'cancelled' : 'done';
      bus.emit('docs.job', { ...job.info });
      // Finished jobs are kept briefly for docs.jobs.list; only the latest few matter to the UI.
      for (const [id, j] of this.#jobs) if (j.info.state !== 'running' && this.#jobs.size > 20) this.#jobs.delete(id);
    }
  }

  /** A queued file a cancel never reached: back to ready if it was indexed before, else failed. */
  #unqueue(job: Job, document: DocumentInfo): void {
    const d =
      document.sha256 !== null && document.indexedAt !== null
        ? this.#o.repo.setStatus(document.id, 'ready')
        : this.#o.repo.setStatus(document.id, 'failed', { reason: 'Indexing was cancelled before this file; add it again to index it.' });
    this.#o.bus.emit('docs.progress', { jobId: job.info.jobId, document: d });
  }

  async #cancelJobsOf(collectionId: number): Promise<void> {
    for (const job of this.#jobs.values()) {
      if (job.info.collectionId === collectionId && job.info.state === 'running') {
        job.controller.abort();
        await job.done;
      }
    }
  }

  #now(): string {
    return this.#o.now ? this.#o.now() : new Date().toISOString();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const job of this.#jobs.values()) job.controller.abort();
    await this.#queue.catch(() => undefined);
    await this.#parser.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

function publicCollection(c: CollectionRecord): Collection {
  const { embeddingDims: _dims, ...rest } = c;
  return rest;
}
