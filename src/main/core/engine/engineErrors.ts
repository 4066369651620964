import { InsufficientMemoryError, NoBinaryFoundError } from 'node-llama-cpp';
import { AbortedError, AppError } from '../../../shared/errors';

/**
 * Turns whatever node-llama-cpp throws while loading a model or creating a context into an
 * AppError a user can act on. The process keeps running: nothing here rethrows raw errors.
 */
export function mapLoadError(error: unknown, what: { path: string; name?: string }, signal?: AbortSignal): AppError {
  if (error instanceof AppError) return error;
  const name = what.name ?? what.path;
  const reason = error instanceof Error ? error.message : String(error);
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) {
    return new AbortedError(`Loading ${name} was cancelled.`);
  }
  if (error instanceof InsufficientMemoryError || /insufficient|out of memory|failed to allocate|not enough memory/i.test(reason)) {
    return new AppError(
      'MODEL_INSUFFICIENT_MEMORY',
      `Not enough memory to load ${name}: ${reason}. Close other models, lower the context size or GPU layers, or pick a smaller quantisation.`,
      { path: what.path, reason },
      { cause: error },
    );
  }
  if (error instanceof NoBinaryFoundError) {
    return new AppError(
      'MODEL_LOAD_FAILED',
      `No llama.cpp binary for this machine was found (${reason}). Reinstall Parity; it never compiles llama.cpp itself.`,
      { path: what.path, reason },
      { cause: error },
    );
  }
  return new AppError(
    'MODEL_LOAD_FAILED',
    `Could not load ${name}: ${reason}. The file may be damaged, not a GGUF model, or use an architecture this llama.cpp does not support.`,
    { path: what.path, reason },
    { cause: error },
  );
}
