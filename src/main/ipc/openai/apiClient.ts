import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { EventBus } from '../../core/events/EventBus';
import type { Router } from '../Router';

/**
 * How the OpenAI-compatible API reaches the app: the router's routes and events, as every other
 * transport does, so a chat answer over /v1 runs exactly the path `parity chat` and the app run.
 */
export interface ApiClient {
  /** Validates, dispatches and returns the output; a failed route throws its AppError (code, message, details). */
  call<K extends RouteName>(route: K, input: RouteInput<K>, options: { signal: AbortSignal }): Promise<RouteOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function apiClient(router: Pick<Router, 'handle'>, events: Pick<EventBus, 'on'>): ApiClient {
  return {
    async call(route, input, { signal }) {
      const result = await router.handle(route, input, { transport: 'api', signal });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      return result.data as RouteOutput<typeof route>;
    },
    on: (event, listener) => events.on(event, listener),
  };
}
