import { readGgufFileInfo } from 'node-llama-cpp';
import { SamplingParamsSchema, type SamplingParams } from '../../../../shared/domain/generation';

/** GGUF `general.sampling.*` keys (llama.cpp's convention for a publisher's recommended sampling) → our names. */
const KEYS: Record<string, keyof SamplingParams> = {
  temp: 'temperature',
  top_p: 'topP',
  top_k: 'topK',
  min_p: 'minP',
  penalty_repeat: 'repeatPenalty',
};

/**
 * The recommended sampling in a GGUF's `general` metadata, or null when it has none. The parser
 * nests dotted keys (`general.sampling.temp` → general.sampling.temp) unless a key is taken, when it
 * keeps them flat (`general['sampling.temp']`), so both shapes are read. Values out of range are dropped.
 */
export function recommendedSamplingOf(general: Record<string, unknown> | undefined): SamplingParams | null {
  if (!general) return null;
  const nested = typeof general.sampling === 'object' && general.sampling !== null ? (general.sampling as Record<string, unknown>) : {};
  const out: Record<string, number> = {};
  for (const [key, name] of Object.entries(KEYS)) {
    const value = nested[key] ?? general[`sampling.${key}`];
    if (typeof value !== 'number' && typeof value !== 'bigint') continue;
    const n = Number(value);
    const one = SamplingParamsSchema.shape[name].safeParse(name === 'topK' ? Math.round(n) : n);
    if (one.success && one.data !== undefined) out[name] = n;
  }
  return Object.keys(out).length > 0 ? (out as SamplingParams) : null;
}

/** Reads only the header's metadata (no tensor info, no vocabulary). */
export async function readRecommendedSampling(path: string, signal?: AbortSignal): Promise<SamplingParams | null> {
  const info = await readGgufFileInfo(path, {
    sourceType: 'filesystem',
    readTensorInfo: false,
    logWarnings: false,
    ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
    signal,
  });
  return recommendedSamplingOf(info.metadata.general as unknown as Record<string, unknown>);
}
