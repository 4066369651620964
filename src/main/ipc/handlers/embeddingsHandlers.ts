import type { EmbeddingsCreateOutput } from '../../../shared/contract/embeddings';
import type { DomainHandlers } from '../Router';

/** Embeds texts with a library model; app.ts builds it from the library and the shared embedder. */
export type EmbedTexts = (ref: string, texts: string[], options: { signal?: AbortSignal }) => Promise<EmbeddingsCreateOutput>;

export function embeddingsHandlers(embed: EmbedTexts): DomainHandlers<'embeddings'> {
  return {
    'embeddings.create': ({ model, input }, ctx) => embed(model, input, { signal: ctx.signal }),
  };
}
