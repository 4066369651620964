import type { GenerationParams, SamplingParams } from './generation';

/**
 * What a generation uses when its request leaves a parameter unset: the one place core applies
 * them and the renderer's labels read them, so "default: 1,024" in the UI is what actually runs.
 */

/**
 * Without a cap a model that never emits end-of-sequence writes until its whole context window is
 * full (2,048 tokens for one chat answer on a tiny model; 7 minutes for one eval case).
 */
export const DEFAULT_MAX_TOKENS = { chat: 1024, compare: 1024, evals: 512 } as const;

/** Chat samples so that Regenerate can give a different answer, unless the model file recommends its own sampling. */
export const CHAT_FALLBACK_TEMPERATURE = 0.7;

/** Evals are reproducible unless the suite or the run asks for sampling. */
export const EVAL_DEFAULT_PARAMS: GenerationParams = { maxTokens: DEFAULT_MAX_TOKENS.evals, temperature: 0 };

/** A seed is a non-negative 31-bit integer for every provider that accepts one. */
export const MAX_SEED = 2 ** 31 - 1;

/** The parameters of one chat answer: the conversation's own, else at most DEFAULT_MAX_TOKENS.chat. */
export function chatParams(params: GenerationParams): GenerationParams {
  return mergeParams({ maxTokens: DEFAULT_MAX_TOKENS.chat }, params);
}

/**
 * What a chat answer samples with where neither the conversation nor the model file says: 0.7 and
 * a fresh seed per answer, so two generations of the same message are independent samples (the
 * seed is recorded with the answer, so either can be reproduced). `freshSeed` is 0..MAX_SEED.
 */
export function chatFillSampling(freshSeed: number): SamplingParams {
  return { temperature: CHAT_FALLBACK_TEMPERATURE, seed: freshSeed };
}

/** Layers parameters, later layers winning; a key set to undefined is unset, never an override of a default. */
export function mergeParams(...layers: ReadonlyArray<GenerationParams | null | undefined>): GenerationParams {
  const out: Record<string, unknown> = {};
  for (const layer of layers) for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) out[key] = value;
  return out as GenerationParams;
}

/** Placeholder text for a field left empty: "default: 1,024". */
export function defaultLabel(value: number): string {
  return `default: ${value.toLocaleString('en-US')}`;
}
