import type { z } from 'zod';
import { apiEvents, apiRoutes } from './api';
import { appRoutes } from './app';
import { auditRoutes } from './audit';
import { compareEvents, compareRoutes } from './compare';
import { decideRoutes } from './decide';
import { chatEvents, chatRoutes } from './chat';
import { docsEvents, docsRoutes } from './docs';
import { embeddingsRoutes } from './embeddings';
import { engineEvents, engineRoutes } from './engine';
import { appEvents } from './events';
import { evalsEvents, evalsRoutes } from './evals';
import { modelsEvents, modelsRoutes } from './models';
import { policyRoutes } from './policy';
import { providersRoutes } from './providers';
import type { EventMap, RouteMap } from './route';
import { settingsRoutes } from './settings';

export * from './app';
export * from './chat';
export * from './engine';
export * from './models';
export * from './compare';
export * from './settings';
export * from './route';
export * from './evals';
export * from './providers';
export * from './audit';
export * from './decide';
export * from './policy';
export * from './api';
export * from './docs';
export * from './embeddings';

/** The whole contract: every route any transport serves. */
export const routes = {
  ...appRoutes,
  ...chatRoutes,
  ...engineRoutes,
  ...evalsRoutes,
  ...modelsRoutes,
  ...settingsRoutes,
  ...providersRoutes,
  ...auditRoutes,
  ...policyRoutes,
  ...compareRoutes,
  ...decideRoutes,
  ...apiRoutes,
  ...docsRoutes,
  ...embeddingsRoutes,
} as const satisfies RouteMap;

export const events = {
  ...appEvents,
  ...chatEvents,
  ...engineEvents,
  ...evalsEvents,
  ...modelsEvents,
  ...compareEvents,
  ...apiEvents,
  ...docsEvents,
} as const satisfies EventMap;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export type RouteInput<K extends RouteName> = z.input<Routes[K]['input']>;
export type RouteParsedInput<K extends RouteName> = z.output<Routes[K]['input']>;
export type RouteOutput<K extends RouteName> = z.output<Routes[K]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isRouteName(name: string): name is RouteName {
  return Object.hasOwn(routes, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

/**
 * Events that stay in the process that raised them: transports (Electron IPC, the serve WebSocket)
 * never forward them to windows or browsers. `chat.complete.delta` carries the text of one caller's
 * answer (`parity chat`, an OpenAI-compatible API request from a team's tool), which no other
 * client may read; such a caller subscribes in process, and a remote caller gets the whole answer
 * as the route's result.
 */
const IN_PROCESS_EVENTS: ReadonlySet<string> = new Set<EventName>(['chat.complete.delta']);

/** Whether a transport may push this event to its clients. */
export function isBroadcastEvent(name: string): boolean {
  return !IN_PROCESS_EVENTS.has(name);
}
