import type { EventName, EventPayload, RouteInput, RouteName, RouteOutput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ParityApp } from '../app';

/**
 * The CLI's transport: the same router and events as Electron IPC and HTTP/WebSocket, in process.
 * Commands reach services only through this, so they cannot drift from the app.
 */
export interface CliClient {
  /** Validates, dispatches and returns the output; a failed route throws its AppError (code, message, details). */
  call<K extends RouteName>(route: K, input: RouteInput<K>, options?: { signal?: AbortSignal }): Promise<RouteOutput<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function cliClient(app: Pick<ParityApp, 'router' | 'bus'>): CliClient {
  return {
    async call(route, input, options = {}) {
      const result = await app.router.handle(route, input, { transport: 'cli', signal: options.signal });
      if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
      return result.data as RouteOutput<typeof route>;
    },
    on: (event, listener) => app.bus.on(event, listener),
  };
}
