import { z } from 'zod';
import { route } from './route';

/** The most texts one `embeddings.create` request carries (OpenAI's own limit per request). */
export const EMBEDDINGS_MAX_INPUTS = 2048;
/** The longest text it takes (an embedding context holds far less; a longer text is refused with the limit). */
export const EMBEDDINGS_INPUT_MAX_CHARS = 1_000_000;

export const EmbeddingsCreateInputSchema = z
  .object({
    /** A model already in the library (`local:<id>`, or the `local:` path of a linked file): embeddings never load a file on request. */
    model: z.string().min(1),
    input: z.array(z.string().max(EMBEDDINGS_INPUT_MAX_CHARS)).min(1).max(EMBEDDINGS_MAX_INPUTS),
  })
  .strict();
export type EmbeddingsCreateInput = z.input<typeof EmbeddingsCreateInputSchema>;

export const EmbeddingsCreateOutputSchema = z.object({
  /** One vector per input text, in order. */
  vectors: z.array(z.array(z.number())),
  /** Tokens the texts took, all together. */
  promptTokens: z.number().int().min(0),
});
export type EmbeddingsCreateOutput = z.infer<typeof EmbeddingsCreateOutputSchema>;

export const embeddingsRoutes = {
  /** Vectors from a local model's embedding context (the OpenAI-compatible API's /v1/embeddings). The request's signal stops it between texts. */
  'embeddings.create': route(EmbeddingsCreateInputSchema, EmbeddingsCreateOutputSchema),
} as const;
