import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/events/EventBus';
import type { RequestContext, Router } from './Router';

/**
 * A transport inside the app's own process (the CLI, the OpenAI-compatible API): the same router
 * and events as Electron IPC and HTTP/WebSocket, so such a client cannot drift from the app.
 */
export interface InProcessClient {
  /** Validates, dispatches and returns the output; a failed route throws its AppError (code, message, details). */
  call<K extends RouteName>(route: K, input: RouteInput<K>, options?: { signal?: AbortSignal }): Promise<RouteOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function inProcessClient(transport: RequestContext['transport'], router: Pick<Router, 'handle'>, events: Pick<EventBus, 'on'>): InProcessClient {
  return {
    async call(route, input, options = {}) {
      const result = await router.handle(route, input, { transport, signal: options.signal });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      return result.data as RouteOutput<typeof route>;
    },
    on: (event, listener) => events.on(event, listener),
  };
}
