import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { isLocal } from '../../../shared/domain/modelRef';
import { AbortedError, AppError } from '../../../shared/errors';
import type { EmbedFunction } from './assertions/assertionHandlers';

export interface LocalEmbedderOptions {
  /** Loads (or reuses) a local model for a `local:` ref; the app passes the engine's loader. */
  loadModel: (ref: string, options: { signal?: AbortSignal }) => Promise<LlamaModel>;
  threads?: number;
  contextSize?: number;
}

/**
 * Embeddings for the `similar` assertion from a local GGUF model: one embedding context per
 * model, made on first use and kept until the model itself is unloaded or we are disposed.
 */
export class LocalEmbedder implements AsyncDisposable {
  readonly #o: LocalEmbedderOptions;
  readonly #contexts = new Map<LlamaModel, Promise<LlamaEmbeddingContext>>();

  constructor(options: LocalEmbedderOptions) {
    this.#o = options;
  }

  readonly embed: EmbedFunction = async (texts, options = {}) => (await this.embedWithUsage(texts, options)).vectors;

  /** Vectors and the tokens they took (the API reports usage). */
  /** With `truncate`, a text longer than the context is embedded by its first tokens (document chunks) instead of refused. */
  async embedWithUsage(
    texts: readonly string[],
    options: { model?: string | null; signal?: AbortSignal; truncate?: boolean } = {},
  ): Promise<{ vectors: number[][]; promptTokens: number }> {
    const ref = options.model;
    if (!ref) throw new AppError('VALIDATION_FAILED', 'No embedding model: set `provider: local:<model>` on the similar assertion or an embedding model for the run.');
    if (!isLocal(ref)) throw new AppError('VALIDATION_FAILED', `Embeddings come from a local model; "${ref}" is not one.`, { ref });
    const model = await this.#o.loadModel(ref, { signal: options.signal });
    let context = this.#contexts.get(model);
    if (!context) {
      context = model.createEmbeddingContext({ threads: this.#o.threads ?? 1, contextSize: this.#o.contextSize ?? 512 });
      this.#contexts.set(model, context);
      context.catch(() => this.#contexts.delete(model));
      model.onDispose.createListener(() => this.#contexts.delete(model));
    }
    const ctx = await context;
    const vectors: number[][] = [];
    let promptTokens = 0;
    for (const text of texts) {
      if (options.signal?.aborted) throw new AbortedError('The embedding request was cancelled.');
      const limit = this.#o.contextSize ?? 512;
      let tokens = model.tokenize(text);
      // Room for the BOS/EOS tokens the embedding context adds around the input.
      if (options.truncate && tokens.length >= limit - 2) tokens = tokens.slice(0, limit - 3);
      if (tokens.length >= limit) {
        throw new AppError('PROMPT_TOO_LONG', `A text of ${tokens.length} tokens does not fit the ${limit}-token embedding context; split it into shorter pieces.`, { tokens: tokens.length, limit });
      }
      promptTokens += tokens.length;
      vectors.push([...(await ctx.getEmbeddingFor(tokens)).vector]);
    }
    return { vectors, promptTokens };
  }

  async dispose(): Promise<void> {
    const contexts = [...this.#contexts.values()];
    this.#contexts.clear();
    for (const c of contexts) await (await c.catch(() => null))?.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
