import type { z } from 'zod';
import {
  isRouteName,
  routes,
  type RouteName,
  type RouteOutput,
  type RouteParsedInput,
} from '../../shared/contract';
import { AppError, toErrorPayload, type Result } from '../../shared/errors';

export interface RequestContext {
  /** Which transport the call came through; for the audit trail and for messages. */
  transport: 'electron' | 'http' | 'cli' | 'test' | 'api';
  signal?: AbortSignal;
}

export type Handler<K extends RouteName> = (
  input: RouteParsedInput<K>,
  ctx: RequestContext,
) => Promise<RouteOutput<K>> | RouteOutput<K>;

/** Every route must have a handler: a missing one fails `tsc` where the map is built. */
export type Handlers = { [K in RouteName]: Handler<K> };

/** The handlers of one domain (`chat.*`, `models.*`), spread into the full map in app.ts. */
export type DomainHandlers<P extends string> = {
  [K in RouteName as K extends `${P}.${string}` ? K : never]: Handler<K>;
};

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

export function validationError(error: z.ZodError, what: string): AppError {
  const issues = error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const first = issues[0];
  const message = first
    ? `Invalid ${what}: ${first.path}: ${first.message}`
    : `Invalid ${what}.`;
  return new AppError('VALIDATION_FAILED', message, { field: first?.path, issues });
}

export class Router {
  readonly #handlers: Handlers;

  constructor(handlers: Handlers) {
    this.#handlers = handlers;
  }

  /** Validate → dispatch → typed result. Never throws; every failure is a result. */
  async handle(name: string, input: unknown, ctx: RequestContext): Promise<Result<unknown>> {
    if (!isRouteName(name)) {
      return { ok: false, error: { code: 'UNKNOWN_ROUTE', message: `Unknown route "${name}".`, details: { route: name } } };
    }
    const def = routes[name];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: validationError(parsed.error, `input for ${name}`).toPayload() };
    }
    try {
      const handler = this.#handlers[name] as (input: unknown, ctx: RequestContext) => unknown;
      const output = await handler(parsed.data, ctx);
      const checked = def.output.safeParse(output);
      if (!checked.success) {
        // A handler returning the wrong shape is our bug; say so rather than send it on.
        const err = validationError(checked.error, `output of ${name}`);
        return { ok: false, error: { code: 'INTERNAL', message: err.message, details: err.details } };
      }
      return { ok: true, data: checked.data };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  }
}
