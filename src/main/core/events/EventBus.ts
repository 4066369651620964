import { events, type EventName, type EventPayload } from '../../../shared/contract';

export type AnyEventListener = (name: EventName, payload: unknown) => void;

/**
 * Typed events from services to transports. A listener that throws is reported and skipped, so
 * one broken window cannot stop a generation or a download.
 */
export class EventBus {
  readonly #listeners = new Set<AnyEventListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? ((error) => console.error('event listener failed:', error));
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const parsed = events[name].parse(payload);
    for (const listener of this.#listeners) {
      try {
        listener(name, parsed);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  /** Subscribe to one event. Returns an unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.onAny((eventName, payload) => {
      if (eventName === name) listener(payload as EventPayload<E>);
    });
  }

  onAny(listener: AnyEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
