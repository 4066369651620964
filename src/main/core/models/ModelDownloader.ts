import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Download } from '../../../shared/contract/models';
import { AppError, NotFoundError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { DownloadRepository, DownloadRow } from '../store/DownloadRepository';
import { parseContentRange, publishedSha256, resolveDownloadSource } from './downloadSource';
import { hashFile } from './hashFile';
import { uniquePath, type ModelLibrary } from './ModelLibrary';
import { sleep } from '../util/sleep';

export interface ModelDownloaderOptions {
  repo: DownloadRepository;
  dataDir: string;
  library: ModelLibrary;
  /** All network use goes through this (the egress gateway in the app, a plain fetch in tests). */
  fetch: typeof fetch;
  bus?: EventBus;
  progressIntervalMs?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  /** Opens the partial file (fs/promises `open`); injectable so a full disk can be tested. */
  openFile?: typeof open;
}

type StopReason = 'pause' | 'cancel' | 'dispose';

interface ActiveRun {
  controller: AbortController;
  reason: StopReason | null;
  done: Promise<void>;
  bytesPerSecond: number;
  /** The retry being waited for, shown instead of a silent "Downloading · 0 B". */
  retry: Download['retry'];
}

const ACTIVE_STATES = new Set<DownloadRow['status']>(['downloading', 'verifying']);

/** Streams a model into `<dataDir>/models/.partial/`, resumable by HTTP Range, verified by sha256, then imported. */
export class ModelDownloader implements AsyncDisposable {
  readonly partialDir: string;
  readonly #repo: DownloadRepository;
  readonly #library: ModelLibrary;
  readonly #fetch: typeof fetch;
  readonly #bus: EventBus | undefined;
  readonly #interval: number;
  readonly #maxRetries: number;
  readonly #retryDelay: number;
  readonly #openFile: typeof open;
  readonly #active = new Map<string, ActiveRun>();

  constructor(options: ModelDownloaderOptions) {
    this.partialDir = join(options.dataDir, 'models', '.partial');
    this.#repo = options.repo;
    this.#library = options.library;
    this.#fetch = options.fetch;
    this.#bus = options.bus;
    this.#interval = options.progressIntervalMs ?? 250;
    this.#maxRetries = options.maxRetries ?? 5;
    this.#retryDelay = options.retryDelayMs ?? 500;
    this.#openFile = options.openFile ?? open;
  }

  /** Start-up work, called once by the composition root. */
  start(): void {
    // A row still "downloading" belongs to a process that died: list it as resumable.
    for (const row of this.#repo.list()) {
      if (ACTIVE_STATES.has(row.status)) this.#repo.update(row.id, { status: 'interrupted', error: 'Parity stopped during the download. Resume to continue.' });
    }
  }

  list(): Download[] {
    return this.#repo.list().map((row) => this.#toDownload(row));
  }

  get(id: string): Download {
    return this.#toDownload(this.#row(id));
  }

  async download(input: { source: string; expectedSha256?: string }): Promise<Download> {
    const { url, fileName } = resolveDownloadSource(input.source);
    const running = this.#repo.list().find((r) => r.url === url && !['completed', 'failed', 'cancelled'].includes(r.status));
    if (running) {
      if (running.status !== 'downloading') return this.resume(running.id);
      return this.#toDownload(running);
    }
    await mkdir(this.partialDir, { recursive: true });
    const id = `dl-${randomBytes(5).toString('hex')}`;
    const now = new Date().toISOString();
    this.#repo.insert({
      id,
      source: input.source,
      url,
      fileName,
      partialPath: join(this.partialDir, `${id}.gguf.partial`),
      status: 'downloading',
      receivedBytes: 0,
      totalBytes: null,
      expectedSha256: input.expectedSha256?.toLowerCase() ?? null,
      publishedSha256: null,
      etag: null,
      error: null,
      modelId: null,
      createdAt: now,
      updatedAt: now,
    });
    this.#launch(id);
    return this.get(id);
  }

  async pause(id: string): Promise<Download> {
    await this.#stop(id, 'pause');
    const row = this.#row(id);
    if (row.status === 'downloading') this.#repo.update(id, { status: 'paused' });
    return this.get(id);
  }

  async resume(id: string): Promise<Download> {
    const row = this.#row(id);
    if (this.#active.has(id)) return this.get(id);
    if (row.status === 'completed' || row.status === 'cancelled') {
      throw new AppError('CONFLICT', `Download "${id}" is ${row.status}; start it again instead.`, { id, status: row.status });
    }
    await mkdir(this.partialDir, { recursive: true });
    this.#repo.update(id, { status: 'downloading', error: null });
    this.#launch(id);
    return this.get(id);
  }

  async cancel(id: string): Promise<Download> {
    await this.#stop(id, 'cancel');
    const row = this.#row(id);
    await rm(row.partialPath, { force: true });
    if (row.status !== 'completed') this.#emit(this.#repo.update(id, { status: 'cancelled', receivedBytes: 0 }));
    return this.get(id);
  }

  /** Resolves when the current run of this download ends (finished, failed, paused or cancelled). */
  async waitFor(id: string): Promise<Download> {
    await this.#active.get(id)?.done;
    return this.get(id);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.#stop(id, 'dispose')));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #row(id: string): DownloadRow {
    const row = this.#repo.get(id);
    if (!row) throw new NotFoundError('Download', id);
    return row;
  }

  async #stop(id: string, reason: StopReason): Promise<void> {
    const run = this.#active.get(id);
    if (!run) return;
    run.reason = reason;
    run.controller.abort();
    await run.done;
  }

  #launch(id: string): void {
    const run: ActiveRun = { controller: new AbortController(), reason: null, done: Promise.resolve(), bytesPerSecond: 0, retry: null };
    run.done = this.#run(id, run).finally(() => this.#active.delete(id));
    this.#active.set(id, run);
  }

  async #run(id: string, run: ActiveRun): Promise<void> {
    let failures = 0;
    for (;;) {
      const before = await fileSize(this.#row(id).partialPath);
      try {
        await this.#transfer(id, run);
        break;
      } catch (error) {
        if (run.controller.signal.aborted) return this.#stopped(id, run.reason ?? 'pause');
        const retryable = !(error instanceof AppError) || error.details?.retryable === true;
        if ((await fileSize(this.#row(id).partialPath)) > before) failures = 0;
        failures += 1;
        const message = describeFailure(error);
        if (!retryable || failures > this.#maxRetries) {
          // A full disk is not retried, but what arrived is kept for a Resume once space is freed.
          const resumable = retryable || (error instanceof AppError && error.code === 'DISK_FULL');
          this.#emit(this.#repo.update(id, { status: resumable ? 'interrupted' : 'failed', error: retryable ? `${message} Resume to try again.` : message }));
          return;
        }
        const delay = this.#retryDelay * 2 ** (failures - 1);
        run.bytesPerSecond = 0;
        run.retry = { attempt: failures, max: this.#maxRetries, reason: message, nextAt: new Date(Date.now() + delay).toISOString() };
        this.#emit(this.#row(id));
        const slept = await sleep(delay, run.controller.signal);
        run.retry = null;
        if (!slept) return this.#stopped(id, run.reason ?? 'pause');
      }
    }
    await this.#finish(id, run);
  }

  #stopped(id: string, reason: StopReason): void {
    if (reason === 'cancel') return; // cancel() cleans up after the run has ended
    const status = reason === 'pause' ? 'paused' : 'interrupted';
    const error = reason === 'dispose' ? 'Parity stopped during the download. Resume to continue.' : null;
    this.#emit(this.#repo.update(id, { status, error }));
  }

  /** One HTTP exchange, continuing from what the partial file already holds. */
  async #transfer(id: string, run: ActiveRun): Promise<void> {
    const signal = run.controller.signal;
    let row = this.#row(id);
    let offset = await fileSize(row.partialPath);
    if (offset === 0 && !row.publishedSha256) await this.#probeDigest(id, signal);
    row = this.#row(id);
    const headers: Record<string, string> = {};
    if (offset > 0) {
      headers.Range = `bytes=${offset}-`;
      // If the file changed on the host, If-Range makes it send the whole new file instead of a mismatched tail.
      if (row.etag) headers['If-Range'] = row.etag;
    }
    const response = await this.#fetch(row.url, { headers, signal, redirect: 'follow' });
    if (response.status === 416 && offset > 0 && row.totalBytes !== null && offset >= row.totalBytes) return;
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new AppError('DOWNLOAD_FAILED', `The server answered HTTP ${response.status} for ${row.url}.`, {
        status: response.status,
        retryable: response.status >= 500 || response.status === 429 || response.status === 408,
      });
    }
    let total: number | null;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== offset) {
        await response.body?.cancel().catch(() => undefined);
        await rm(row.partialPath, { force: true });
        throw new AppError('DOWNLOAD_FAILED', 'The server resumed at the wrong position; starting over.', { retryable: true });
      }
      total = range.total;
    } else {
      offset = 0; // a 200 to a Range request is the whole file again
      const length = Number(response.headers.get('content-length'));
      total = Number.isFinite(length) && length > 0 ? length : row.totalBytes;
    }
    row = this.#repo.update(id, {
      totalBytes: total,
      // The digest from the first (un-redirected) answer wins over what a CDN says later.
      publishedSha256: row.publishedSha256 ?? publishedSha256(response.headers, { linkedOnly: response.redirected }),
      etag: response.headers.get('etag') ?? row.etag,
      status: 'downloading',
    });
    if (!response.body) throw new AppError('DOWNLOAD_FAILED', 'The server sent no body.', { retryable: true });

    const file = await this.#openFile(row.partialPath, offset > 0 ? 'a' : 'w');
    let received = offset;
    let lastTick = Date.now();
    let lastBytes = received;
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        try {
          await file.write(chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          throw new AppError(
            'DISK_FULL',
            `The disk is full after ${Math.round(received / 1048576)} MB of ${row.fileName}. Free some space, then Resume: what was downloaded is kept.`,
            { path: row.partialPath, receivedBytes: received },
          );
        }
        received += chunk.byteLength;
        const now = Date.now();
        if (now - lastTick >= this.#interval) {
          const instant = ((received - lastBytes) * 1000) / (now - lastTick);
          run.bytesPerSecond = run.bytesPerSecond === 0 ? instant : run.bytesPerSecond * 0.7 + instant * 0.3;
          lastTick = now;
          lastBytes = received;
          this.#emit(this.#repo.update(id, { receivedBytes: received }), run.bytesPerSecond);
        }
      }
    } finally {
      await file.close();
      this.#emit(this.#repo.update(id, { receivedBytes: received }), run.bytesPerSecond);
    }
    if (total !== null && received < total) {
      throw new AppError('DOWNLOAD_FAILED', `The connection closed after ${received} of ${total} bytes.`, { retryable: true });
    }
  }

  /** A HEAD without following redirects: Hugging Face puts the LFS sha256 on the redirect itself. */
  async #probeDigest(id: string, signal: AbortSignal): Promise<void> {
    try {
      const response = await this.#fetch(this.#row(id).url, { method: 'HEAD', redirect: 'manual', signal });
      const digest = publishedSha256(response.headers);
      const size = Number(response.headers.get('x-linked-size') ?? (response.ok ? response.headers.get('content-length') : null));
      this.#repo.update(id, {
        ...(digest ? { publishedSha256: digest } : {}),
        ...(Number.isFinite(size) && size > 0 ? { totalBytes: size } : {}),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // Some hosts refuse HEAD; the GET's own headers are checked as well.
    }
  }

  async #finish(id: string, run: ActiveRun): Promise<void> {
    let row = this.#emit(this.#repo.update(id, { status: 'verifying' }));
    try {
      const sha256 = await hashFile(row.partialPath, { signal: run.controller.signal });
      const expected = row.expectedSha256 ?? row.publishedSha256;
      if (expected && expected !== sha256) {
        await rm(row.partialPath, { force: true });
        const from = row.expectedSha256 ? 'the catalogue' : 'the host';
        this.#emit(
          this.#repo.update(id, {
            status: 'failed',
            receivedBytes: 0,
            error: `Checksum mismatch: ${from} says sha256 ${expected}, the downloaded file has ${sha256}. The file was deleted and not added to the library.`,
          }),
        );
        return;
      }
      const existing = this.#library.findIdBySha256(sha256);
      if (existing) {
        await rm(row.partialPath, { force: true });
        this.#emit(this.#repo.update(id, { status: 'completed', modelId: existing, error: null }));
        return;
      }
      await mkdir(this.#library.modelsDir, { recursive: true });
      const target = uniquePath(this.#library.modelsDir, row.fileName);
      await rename(row.partialPath, target);
      const model = await this.#library.adopt(target, { sha256, sourceUrl: row.source });
      row = this.#repo.update(id, { status: 'completed', modelId: model.id, error: null });
      this.#emit(row);
    } catch (error) {
      if (run.controller.signal.aborted) return this.#stopped(id, run.reason ?? 'pause');
      await rm(row.partialPath, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      this.#emit(this.#repo.update(id, { status: 'failed', receivedBytes: 0, error: message }));
    }
  }

  #emit(row: DownloadRow, bytesPerSecond = 0): DownloadRow {
    this.#bus?.emit('models.downloadProgress', this.#toDownload(row, bytesPerSecond));
    return row;
  }

  #toDownload(row: DownloadRow, bytesPerSecond = this.#active.get(row.id)?.bytesPerSecond ?? 0): Download {
    const speed = row.status === 'downloading' ? bytesPerSecond : 0;
    const remaining = row.totalBytes === null ? null : Math.max(0, row.totalBytes - row.receivedBytes);
    return {
      id: row.id,
      source: row.source,
      url: row.url,
      fileName: row.fileName,
      status: row.status,
      receivedBytes: row.receivedBytes,
      totalBytes: row.totalBytes,
      bytesPerSecond: speed,
      etaSeconds: remaining !== null && speed > 0 ? remaining / speed : null,
      expectedSha256: row.expectedSha256 ?? row.publishedSha256,
      error: row.error,
      retry: row.status === 'downloading' ? (this.#active.get(row.id)?.retry ?? null) : null,
      modelId: row.modelId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection',
  ENOTFOUND: 'the host name could not be resolved (no network?)',
  EAI_AGAIN: 'the host name could not be resolved (no network?)',
  ETIMEDOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
};

/** fetch says only "fetch failed"; the reason a user can act on is in its cause's code. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return error.message;
  return `Network error: ${NETWORK_CODES[code] ?? 'the request failed'} (${code}).`;
}

async function fileSize(path: string): Promise<number> {
  return stat(path).then((s) => s.size, () => 0);
}
