import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve as resolvePath } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { LocalModelResolver, ResolvedLocalModel } from '../models/LocalModelResolver';

/**
 * Minimal resolver for when no model library is wired: the id *is* the path of a .gguf file.
 * Used by tests and as the CLI fallback; ModelLibrary replaces it in the app.
 */
export class PathModelResolver implements LocalModelResolver {
  readonly #hashes = new Map<string, Promise<string>>();

  async resolve(idOrPath: string, options: { signal?: AbortSignal } = {}): Promise<ResolvedLocalModel> {
    const path = resolvePath(idOrPath);
    let size: number;
    let mtimeMs: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new AppError('NOT_FOUND', `${path} is a folder, not a model file.`, { path });
      size = st.size;
      mtimeMs = st.mtimeMs;
    } catch (error) {
      throw new AppError('NOT_FOUND', `No model file at ${path}. Give the path of a .gguf file or the id of a model in the library.`, { path }, { cause: error });
    }
    const key = `${path}:${size}:${mtimeMs}`;
    let hash = this.#hashes.get(key);
    if (!hash) {
      hash = sha256File(path, options.signal);
      this.#hashes.set(key, hash);
      hash.catch(() => this.#hashes.delete(key));
    }
    return { id: path, name: basename(path), path, sha256: await hash, hasChatTemplate: false, trainContextSize: null };
  }
}

export function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(path, { signal });
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
    stream.on('error', reject);
  });
}
