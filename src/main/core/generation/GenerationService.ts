import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';
import type { StreamEvent } from '../providers/ModelProvider';
import type { ProviderRegistry } from '../providers/ProviderRegistry';

export interface GenerateOptions {
  signal?: AbortSignal;
  /** A model ref to use when the primary fails after retries; recorded in metrics.fallbackFrom. */
  fallback?: string | null;
}

/**
 * The one path every generation takes (chat, compare, evals, CLI): resolves the provider and
 * streams. Policy that is ours, not the provider's (retries, cost, fallback, audit), lives here.
 */
export class GenerationService {
  readonly #registry: ProviderRegistry;

  constructor(registry: ProviderRegistry) {
    this.#registry = registry;
  }

  /** Where a prompt to `ref` would go: null for this device, else the host. */
  destination(ref: string): string | null {
    const { provider, model } = this.#registry.resolve(ref);
    return provider.destination(model);
  }

  async *stream(ref: string, messages: ChatMessage[], params: GenerationParams, options: GenerateOptions = {}): AsyncGenerator<StreamEvent> {
    const { provider, model } = this.#registry.resolve(ref);
    yield* provider.stream({ model, messages, params }, { signal: options.signal });
  }
}
