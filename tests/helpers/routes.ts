import type { ParityApp } from '../../src/main/app';
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract';

/**
 * A typed caller for the app's routes, through the router's validation as a renderer would;
 * a failed route throws with its code and message, so a test reads the data directly.
 */
export function routeCaller(app: Pick<ParityApp, 'router'>) {
  return async <K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>> => {
    const res = await app.router.handle(route, input, { transport: 'test' });
    if (!res.ok) throw new Error(`${route}: ${res.error.code} ${res.error.message}`);
    return res.data as RouteOutput<K>;
  };
}
