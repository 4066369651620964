import type { PolicyRoute } from '../../../../shared/domain/dataPolicy';
import { format as formatRef, ROUTE_PROVIDER } from '../../../../shared/domain/modelRef';
import { AppError } from '../../../../shared/errors';
import type { ModelProvider, ProviderCapabilities, ProviderModelInfo, StreamEvent } from '../ModelProvider';
import type { ProviderRegistry } from '../ProviderRegistry';

export interface RouteProviderOptions {
  routes: { route(name: string): PolicyRoute | null; routeNames(): string[] };
  registry: Pick<ProviderRegistry, 'resolve'>;
}

/**
 * `route:<name>` in the registry, so a route is a model id everywhere one is accepted (pickers,
 * compare, evals, the CLI). It does not stream itself: GenerationService expands a route into
 * its steps, each screened, budgeted, retried and audited as the model it is.
 */
export class RouteProvider implements ModelProvider {
  readonly id = ROUTE_PROVIDER;
  // A route may leave the device, so it is treated as remote; each step applies its own rules.
  readonly capabilities: ProviderCapabilities = { local: false, streaming: true, listModels: true, seed: true, defaultConcurrency: 4 };
  readonly #o: RouteProviderOptions;

  constructor(options: RouteProviderOptions) {
    this.#o = options;
  }

  async listModels(): Promise<ProviderModelInfo[]> {
    return this.#o.routes.routeNames().map((name) => ({ ref: formatRef(ROUTE_PROVIDER, name), name: `${name}: ${this.#steps(name).join(' → ')}` }));
  }

  /** Every host the route may reach; null only when all of its models run on this device. */
  destination(name: string): string | null {
    const hosts = this.#steps(name).map((ref) => {
      try {
        const { provider, model } = this.#o.registry.resolve(ref);
        return provider.destination(model);
      } catch {
        return null;
      }
    });
    const remote = [...new Set(hosts.filter((h): h is string => h !== null))];
    return remote.length > 0 ? remote.join(' or ') : null;
  }

  async *stream(): AsyncIterable<StreamEvent> {
    throw new AppError('INTERNAL', 'A route is expanded by GenerationService; it has no stream of its own.');
  }

  #steps(name: string): string[] {
    const route = this.#o.routes.route(name);
    if (!route) throw new AppError('NOT_FOUND', `There is no route "${name}". Define it under routes: in the data policy (--policy file or Settings → Data policy).`, { ref: formatRef(ROUTE_PROVIDER, name) });
    return route.models;
  }
}
