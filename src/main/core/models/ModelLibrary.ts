import { randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { basename, extname, join, relative, resolve as resolvePath, isAbsolute } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import type { Model, ModelFit, ModelStorage } from '../../../shared/contract/models';
import { localId } from '../../../shared/domain/modelRef';
import { AbortedError, AppError, NotFoundError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { ModelRepository, ModelRow } from '../store/ModelRepository';
import type { Store } from '../store/Store';
import { computeFit, contextMetadataWarning, readHardware } from './fit';
import { copyAndHashFile, hashFile } from './hashFile';
import { inspectGguf, type GgufSummary } from './inspectGguf';
import { describeLicence } from './licence';
import { findGgufs, looksLikePath, slug, uniquePath } from './libraryFiles';
import type { LocalModelResolver, ResolvedLocalModel } from './LocalModelResolver';

export { uniquePath } from './libraryFiles';

export interface ModelLibraryOptions {
  /** For the transactions that span the file system and the table. */
  store: Store;
  repo: ModelRepository;
  dataDir: string;
  /** The process's shared Llama (the engine owns it); used for GGUF insights and fit. */
  getLlama: () => Promise<Llama>;
  bus?: EventBus;
}

export interface ImportResult {
  model: Model;
  alreadyPresent: boolean;
}

export interface ScanResult {
  imported: Model[];
  alreadyPresent: string[];
  skipped: Array<{ path: string; reason: string }>;
}

const SPLIT_PART = /-(\d{5})-of-(\d{5})\.gguf$/i;

/**
 * The local model library: GGUF files copied into `<dataDir>/models/` or linked where they are,
 * with their metadata read once at import, a background sha256 and a fit for this machine.
 */
export class ModelLibrary implements LocalModelResolver, AsyncDisposable {
  readonly modelsDir: string;
  readonly #store: Store;
  readonly #repo: ModelRepository;
  readonly #getLlama: () => Promise<Llama>;
  readonly #bus: EventBus | undefined;
  readonly #fits = new Map<string, ModelFit>();
  readonly #hashJobs = new Map<string, { controller: AbortController; done: Promise<string | null> }>();
  #hashQueue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(options: ModelLibraryOptions) {
    this.modelsDir = join(options.dataDir, 'models');
    this.#store = options.store;
    this.#repo = options.repo;
    this.#getLlama = options.getLlama;
    this.#bus = options.bus;
  }

  /** Start-up work, called once by the composition root: hashes that an earlier run left unfinished. */
  start(): void {
    for (const row of this.#repo.list()) if (row.hashState !== 'done' && row.hashState !== 'failed') this.#queueHash(row);
  }

  async list(): Promise<Model[]> {
    const rows = this.#repo.list();
    const models: Model[] = [];
    for (const row of rows) models.push(await this.#toModel(row));
    return models;
  }

  async get(id: string): Promise<Model> {
    return this.#toModel(this.#row(id));
  }

  /**
   * Imports one file. Validation happens before anything is copied or stored: a bad file leaves no
   * trace. A copy goes to a temporary name of its own and is renamed into place in the same
   * transaction that registers it, so parallel imports of one file cannot overwrite or delete each
   * other's copies. The same bytes under another path are refused with MODEL_ALREADY_IN_LIBRARY.
   */
  async import(path: string, options: { mode?: ModelStorage; signal?: AbortSignal } = {}): Promise<ImportResult> {
    const mode = options.mode ?? 'copy';
    const source = await this.#realFile(path);
    const existing = this.#repo.findByFile(source);
    if (existing) return { model: await this.#toModel(existing), alreadyPresent: true };

    const llama = await this.#getLlama();
    const { summary, insights } = await inspectGguf(source, llama, { signal: options.signal });
    const fit = await computeFit(insights, await readHardware(llama)).catch(() => null);

    const inLibrary = this.#isInsideLibrary(source);
    const storage: ModelStorage = inLibrary ? 'copy' : mode;
    let outcome: { row: ModelRow; added: boolean };
    if (storage === 'copy' && !inLibrary) {
      outcome = await this.#copyIn(source, summary, options.signal);
    } else {
      // Linking takes no space, so reading gigabytes first would only delay it: the file is hashed
      // now only when a hashed model of the same size could be its twin, else in the background.
      const maybeTwin = this.#repo.list().some((r) => r.sizeBytes === summary.sizeBytes && r.sha256 !== null);
      const sha256 = maybeTwin ? await hashFile(source, { signal: options.signal }) : null;
      const linked = this.#store.transaction(() => {
        const winner = this.#repo.findByFile(source);
        if (winner) return { row: winner, added: false, twin: null };
        const twin = sha256 ? this.#repo.findBySha256(sha256) : null;
        if (twin && existsSync(twin.path)) return { row: twin, added: false, twin };
        return { row: this.#insert(summary, { path: source, sourcePath: null, storage, sha256, sourceUrl: null }), added: true, twin: null };
      });
      if (linked.twin) throw alreadyInLibrary(linked.twin, source);
      outcome = linked;
    }
    const { row, added } = outcome;
    if (!added) return { model: await this.#toModel(row), alreadyPresent: true };
    if (fit) this.#fits.set(row.id, fit);
    if (row.sha256) this.#bus?.emit('models.hashProgress', { modelId: row.id, bytes: row.sizeBytes, total: row.sizeBytes, state: 'done', sha256: row.sha256 });
    else this.#queueHash(row);
    this.#bus?.emit('models.changed', { reason: 'added', modelId: row.id });
    return { model: await this.#toModel(row), alreadyPresent: false };
  }

  /**
   * Takes ownership of a file already written inside the library folder (a finished download)
   * whose digest is known. An invalid file is deleted, so nothing half-usable stays behind.
   */
  async adopt(path: string, options: { sha256: string; sourceUrl: string }): Promise<Model> {
    try {
      const llama = await this.#getLlama();
      const { summary, insights } = await inspectGguf(path, llama);
      const row = this.#insert(summary, { path, sourcePath: null, storage: 'copy', sha256: options.sha256, sourceUrl: options.sourceUrl });
      const fit = await computeFit(insights, await readHardware(llama)).catch(() => null);
      if (fit) this.#fits.set(row.id, fit);
      this.#bus?.emit('models.changed', { reason: 'added', modelId: row.id });
      return this.#toModel(row);
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** Imports every .gguf under `folder`; one bad file is reported and skipped, not fatal. */
  async scan(folder: string, options: { mode?: ModelStorage; signal?: AbortSignal } = {}): Promise<ScanResult> {
    const root = await this.#realDir(folder);
    const result: ScanResult = { imported: [], alreadyPresent: [], skipped: [] };
    for (const file of await findGgufs(root)) {
      if (options.signal?.aborted) throw new AbortedError('The scan was cancelled.');
      const part = SPLIT_PART.exec(file);
      if (part && part[1] !== '00001') {
        result.skipped.push({ path: file, reason: 'part of a split model; import its first part (-00001-of-…)' });
        continue;
      }
      try {
        const { model, alreadyPresent } = await this.import(file, { mode: options.mode ?? 'link', signal: options.signal });
        if (alreadyPresent) result.alreadyPresent.push(model.id);
        else result.imported.push(model);
      } catch (error) {
        if (error instanceof AbortedError) throw error;
        if (error instanceof AppError && error.code === 'MODEL_ALREADY_IN_LIBRARY' && typeof error.details?.id === 'string') {
          result.alreadyPresent.push(error.details.id);
          continue;
        }
        result.skipped.push({ path: file, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return result;
  }

  /** Forgets a model. Only a file Parity copied into its own folder is deleted; a linked file never is. */
  async remove(id: string): Promise<{ id: string; fileDeleted: boolean }> {
    const row = this.#row(id);
    const job = this.#hashJobs.get(id);
    job?.controller.abort();
    this.#repo.delete(id);
    this.#fits.delete(id);
    let fileDeleted = false;
    if (row.storage === 'copy' && this.#isInsideLibrary(row.path)) {
      await rm(row.path, { force: true });
      fileDeleted = true;
    }
    this.#bus?.emit('models.changed', { reason: 'removed', modelId: id });
    return { id, fileDeleted };
  }

  async resolve(idOrPath: string, options: { importIfMissing?: boolean; signal?: AbortSignal } = {}): Promise<ResolvedLocalModel> {
    const key = localId(idOrPath);
    let row = this.#repo.get(key);
    if (!row && looksLikePath(key)) {
      const file = await this.#realFile(key);
      row = this.#repo.findByFile(file);
      if (!row && options.importIfMissing) {
        const { model } = await this.import(file, { mode: 'link', signal: options.signal });
        row = this.#row(model.id);
      }
    }
    if (!row) throw new NotFoundError('Model', idOrPath);
    if (!existsSync(row.path)) {
      throw new AppError('NOT_FOUND', `The file of model "${row.id}" is missing (${row.path}). Re-import it or remove it from the library.`, {
        id: row.id,
        path: row.path,
      });
    }
    return {
      id: row.id,
      name: row.name,
      path: row.path,
      sha256: row.sha256,
      hasChatTemplate: row.hasChatTemplate,
      trainContextSize: row.trainContextSize,
    };
  }

  /** Resolves with the digest once the background hash finishes (null if it was cancelled). */
  async waitForHash(id: string): Promise<string | null> {
    const job = this.#hashJobs.get(id);
    if (job) return job.done;
    return this.#repo.get(id)?.sha256 ?? null;
  }

  /** A model with this digest, if the library has one (downloads use it to avoid a second copy). */
  findIdBySha256(sha256: string): string | null {
    return this.#repo.findBySha256(sha256.toLowerCase())?.id ?? null;
  }

  /** Library ids by file name, so the catalogue can say "already downloaded". */
  idsByFileName(): Map<string, string> {
    return new Map(this.#repo.list().map((row) => [row.fileName.toLowerCase(), row.id]));
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const job of this.#hashJobs.values()) job.controller.abort();
    await this.#hashQueue.catch(() => undefined);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  #row(id: string): ModelRow {
    const row = this.#repo.get(localId(id));
    if (!row) throw new NotFoundError('Model', id);
    return row;
  }

  #insert(summary: GgufSummary, file: { path: string; sourcePath: string | null; storage: ModelStorage; sha256: string | null; sourceUrl: string | null }): ModelRow {
    const stem = basename(file.path, extname(file.path));
    // stories260K says general.name = "llama": a name equal to the architecture tells the user nothing.
    const useful = summary.generalName && summary.generalName.toLowerCase() !== summary.architecture?.toLowerCase();
    return this.#repo.insert({
      id: `${slug(stem)}-${randomBytes(3).toString('hex')}`,
      name: useful ? summary.generalName! : stem,
      fileName: basename(file.path),
      path: file.path,
      sourcePath: file.sourcePath,
      storage: file.storage,
      sizeBytes: summary.sizeBytes,
      architecture: summary.architecture,
      parameterCount: summary.parameterCount,
      quantization: summary.quantization,
      trainContextSize: summary.trainContextSize,
      hasChatTemplate: summary.hasChatTemplate,
      license: summary.license,
      generalName: summary.generalName,
      sha256: file.sha256,
      hashState: file.sha256 ? 'done' : 'pending',
      sourceUrl: file.sourceUrl,
      addedAt: new Date().toISOString(),
    });
  }

  async #toModel(row: ModelRow): Promise<Model> {
    const fileExists = existsSync(row.path);
    let fit = this.#fits.get(row.id) ?? null;
    if (!fit && fileExists) {
      fit = await this.#computeFitFor(row.path);
      if (fit) this.#fits.set(row.id, fit);
    }
    return {
      id: row.id,
      name: row.name,
      fileName: row.fileName,
      path: row.path,
      storage: row.storage,
      sizeBytes: row.sizeBytes,
      architecture: row.architecture,
      parameterCount: row.parameterCount,
      quantization: row.quantization,
      trainContextSize: row.trainContextSize,
      hasChatTemplate: row.hasChatTemplate,
      licence: describeLicence(row.license),
      sha256: row.sha256,
      hashState: row.hashState,
      sourceUrl: row.sourceUrl,
      addedAt: row.addedAt,
      fileExists,
      fit,
      metadataWarning: contextMetadataWarning(row.trainContextSize),
    };
  }

  async #computeFitFor(path: string): Promise<ModelFit | null> {
    try {
      const llama = await this.#getLlama();
      const { insights } = await inspectGguf(path, llama);
      return await computeFit(insights, await readHardware(llama));
    } catch {
      // A file changed or damaged after import shows "unknown" fit rather than failing the whole list.
      return null;
    }
  }

  #queueHash(row: ModelRow): void {
    if (this.#disposed || this.#hashJobs.has(row.id)) return;
    const controller = new AbortController();
    const done = this.#hashQueue.catch(() => undefined).then(() => this.#hash(row, controller.signal));
    this.#hashQueue = done;
    this.#hashJobs.set(row.id, { controller, done });
    void done.finally(() => this.#hashJobs.delete(row.id));
  }

  async #hash(row: ModelRow, signal: AbortSignal): Promise<string | null> {
    if (signal.aborted || !this.#repo.get(row.id)) return null;
    const emit = (state: 'hashing' | 'done' | 'failed' | 'pending', bytes: number, total: number, sha256: string | null): void =>
      this.#bus?.emit('models.hashProgress', { modelId: row.id, bytes, total, state, sha256 });
    this.#repo.setHash(row.id, 'hashing', null);
    try {
      const sha256 = await hashFile(row.path, { signal, onProgress: (bytes, total) => emit('hashing', bytes, total, null) });
      if (!this.#repo.get(row.id)) return null;
      this.#repo.setHash(row.id, 'done', sha256);
      emit('done', row.sizeBytes, row.sizeBytes, sha256);
      this.#bus?.emit('models.changed', { reason: 'updated', modelId: row.id });
      return sha256;
    } catch (error) {
      if (!this.#repo.get(row.id)) return null;
      const aborted = error instanceof AbortedError || signal.aborted;
      // Cancelled by shutdown: leave it pending so the next start hashes it again.
      this.#repo.setHash(row.id, aborted ? 'pending' : 'failed', null);
      emit(aborted ? 'pending' : 'failed', 0, row.sizeBytes, null);
      return null;
    }
  }

  /**
   * Copies into a temporary name only this call uses (hashing on the way), then, in one immediate
   * transaction (which also serialises other processes on this store): reuse the row of a parallel
   * import of the same file, refuse bytes already in the library, or pick a free name, register it
   * and rename the copy onto it. Whatever is not kept is this call's own temporary file.
   */
  async #copyIn(source: string, summary: GgufSummary, signal?: AbortSignal): Promise<{ row: ModelRow; added: boolean }> {
    await mkdir(this.modelsDir, { recursive: true });
    // Dot-prefixed: a scan of the library folder skips it, like a download's .partial file.
    const temp = join(this.modelsDir, `.${basename(source)}.importing-${randomBytes(6).toString('hex')}`);
    let kept = false;
    let renamedTo: string | null = null;
    try {
      const sha256 = await copyAndHashFile(source, temp, { signal });
      if (signal?.aborted) throw new AbortedError('The import was cancelled.');
      const outcome = this.#store.transaction(() => {
        const winner = this.#repo.findByFile(source);
        if (winner) return { row: winner, added: false, twin: null };
        const twin = this.#repo.findBySha256(sha256);
        if (twin && existsSync(twin.path)) return { row: twin, added: false, twin };
        // A row whose file went missing still owns its name.
        const target = uniquePath(this.modelsDir, basename(source), (p) => this.#repo.findByFile(p) !== null);
        const row = this.#insert(summary, { path: target, sourcePath: source, storage: 'copy', sha256, sourceUrl: null });
        // Inside the transaction: a failed rename rolls the row back, a failed insert never renames.
        renameSync(temp, target);
        renamedTo = target;
        return { row, added: true, twin: null };
      });
      kept = renamedTo !== null;
      if (outcome.twin) throw alreadyInLibrary(outcome.twin, source);
      return outcome;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC') throw new AppError('DISK_FULL', `Not enough disk space to copy ${basename(source)} into the library. Free some space, or import it as a link.`, { source });
      throw error;
    } finally {
      // A commit that failed after the rename leaves the file under its new name: it is still ours.
      if (!kept) await rm(renamedTo ?? temp, { force: true });
    }
  }

  #isInsideLibrary(path: string): boolean {
    const rel = relative(this.modelsDir, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }

  async #realFile(path: string): Promise<string> {
    try {
      return await realpath(resolvePath(path));
    } catch (error) {
      throw new AppError('NOT_FOUND', `No file at ${path}. Check the path and try again.`, { path }, { cause: error });
    }
  }

  async #realDir(path: string): Promise<string> {
    try {
      return await realpath(resolvePath(path));
    } catch (error) {
      throw new AppError('NOT_FOUND', `No folder at ${path}. Check the path and try again.`, { path }, { cause: error });
    }
  }
}

function alreadyInLibrary(twin: ModelRow, source: string): AppError {
  return new AppError(
    'MODEL_ALREADY_IN_LIBRARY',
    `${basename(source)} is already in the library as "${twin.name}" (the same bytes, sha256 ${twin.sha256?.slice(0, 12) ?? '?'}…). Nothing was added.`,
    { id: twin.id, name: twin.name, path: twin.path, source },
  );
}
