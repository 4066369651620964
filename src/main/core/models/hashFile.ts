import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AbortedError } from '../../../shared/errors';

export interface HashFileOptions {
  signal?: AbortSignal;
  /** Called at most every `progressIntervalMs` and once at the end. */
  onProgress?: (bytes: number, total: number) => void;
  progressIntervalMs?: number;
}

/** Streams a file through sha256 (models are GBs: never read whole), reporting progress, stoppable. */
export async function hashFile(path: string, options: HashFileOptions = {}): Promise<string> {
  const { signal, onProgress, progressIntervalMs = 250 } = options;
  if (signal?.aborted) throw new AbortedError('Hashing was cancelled.');
  const total = (await stat(path)).size;
  const hash = createHash('sha256');
  let bytes = 0;
  let last = 0;
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, signal });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      const now = Date.now();
      if (onProgress && now - last >= progressIntervalMs) {
        last = now;
        safe(() => onProgress(bytes, total));
      }
    }
  } catch (error) {
    if (signal?.aborted) throw new AbortedError('Hashing was cancelled.');
    throw error;
  }
  if (onProgress) safe(() => onProgress(bytes, total));
  return hash.digest('hex');
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('progress listener failed:', error);
  }
}

/**
 * Copies `source` to `dest` (which must not exist yet) and returns the copy's sha256, reading the
 * bytes once: an import needs the digest before it registers the file, to refuse the same bytes twice.
 */
export async function copyAndHashFile(source: string, dest: string, options: { signal?: AbortSignal } = {}): Promise<string> {
  const { signal } = options;
  if (signal?.aborted) throw new AbortedError('The copy was cancelled.');
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source, { highWaterMark: 1024 * 1024 }), hashing, createWriteStream(dest, { flags: 'wx' }), { signal });
  } catch (error) {
    if (signal?.aborted) throw new AbortedError('The copy was cancelled.');
    throw error;
  }
  return hash.digest('hex');
}
