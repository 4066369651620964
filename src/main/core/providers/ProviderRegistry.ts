import { AppError } from '../../../shared/errors';
import { parseOrLocal as parseRef } from '../../../shared/domain/modelRef';
import type { ModelProvider } from './ModelProvider';

/** Resolves `provider:model` refs to the provider that serves them. */
export class ProviderRegistry {
  readonly #providers = new Map<string, ModelProvider>();

  register(provider: ModelProvider): () => void {
    this.#providers.set(provider.id, provider);
    return () => {
      if (this.#providers.get(provider.id) === provider) this.#providers.delete(provider.id);
    };
  }

  list(): ModelProvider[] {
    return [...this.#providers.values()];
  }

  get(id: string): ModelProvider | undefined {
    return this.#providers.get(id);
  }

  resolve(ref: string): { provider: ModelProvider; model: string } {
    const { provider: id, model } = parseRef(ref);
    const provider = this.#providers.get(id);
    if (!provider) {
      throw new AppError('NOT_FOUND', `No provider "${id}" is configured for model "${ref}". Known providers: ${[...this.#providers.keys()].join(', ') || 'none'}.`, { ref, provider: id });
    }
    return { provider, model };
  }
}
