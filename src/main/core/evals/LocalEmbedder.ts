import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { AppError } from '../../../shared/errors';
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

  readonly embed: EmbedFunction = async (texts, options = {}) => {
    const ref = options.model;
    if (!ref) throw new AppError('VALIDATION_FAILED', 'No embedding model: set `provider: local:<model>` on the similar assertion or an embedding model for the run.');
    if (!ref.startsWith('local:')) throw new AppError('VALIDATION_FAILED', `Embeddings come from a local model; "${ref}" is not one.`, { ref });
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
    for (const text of texts) vectors.push([...(await ctx.getEmbeddingFor(text)).vector]);
    return vectors;
  };

  async dispose(): Promise<void> {
    const contexts = [...this.#contexts.values()];
    this.#contexts.clear();
    for (const c of contexts) await (await c.catch(() => null))?.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
