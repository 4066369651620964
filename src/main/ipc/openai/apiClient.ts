import type { EventBus } from '../../core/events/EventBus';
import { inProcessClient, type InProcessClient } from '../inProcessClient';
import type { Router } from '../Router';

/**
 * How the OpenAI-compatible API reaches the app: the router's routes and events, as every other
 * transport does, so a chat answer over /v1 runs exactly the path `parity chat` and the app run.
 */
export type ApiClient = InProcessClient;

export function apiClient(router: Pick<Router, 'handle'>, events: Pick<EventBus, 'on'>): ApiClient {
  return inProcessClient('api', router, events);
}
