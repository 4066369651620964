import type { ApiListenerStatus, ApiStatus } from '../../../shared/contract/api';
import type { EventBus } from '../events/EventBus';

/**
 * Where the OpenAI-compatible API answers right now: transports announce their base URL when they
 * start listening (serve's port, the desktop app's API port) and withdraw it when they stop.
 */
export class ApiEndpoints {
  readonly #bus: EventBus;
  readonly #urls = new Set<string>();
  #listener: (() => ApiListenerStatus) | null = null;

  constructor(options: { bus: EventBus }) {
    this.#bus = options.bus;
  }

  announce(baseUrl: string): () => void {
    this.#urls.add(baseUrl);
    this.changed();
    return () => {
      if (this.#urls.delete(baseUrl)) this.changed();
    };
  }

  /** The desktop app's own API port reports its state through this. */
  setListener(status: () => ApiListenerStatus): void {
    this.#listener = status;
  }

  status(): ApiStatus {
    const listener = this.#listener?.() ?? null;
    const urls = [...this.#urls];
    if (listener?.baseUrl && !urls.includes(listener.baseUrl)) urls.push(listener.baseUrl);
    return { baseUrls: urls, listener };
  }

  changed(): void {
    this.#bus.emit('api.status', this.status());
  }
}
