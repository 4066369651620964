import { availableParallelism } from 'node:os';

/**
 * The thread count for local generation. 0 means automatic: half the logical cores, at least 1.
 * llama.cpp's threads spin on a barrier, so asking for every core on a machine where anything
 * else runs (the UI, a browser, a second model) makes decoding many times slower, not faster.
 */
export function resolveThreads(setting: number, cores: number = availableParallelism()): number {
  if (setting > 0) return setting;
  return Math.max(1, Math.floor(cores / 2));
}
