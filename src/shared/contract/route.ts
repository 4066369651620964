import type { z } from 'zod';

/** One request/response route of the contract: `domain.verb` with zod input and output. */
export interface RouteDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export function route<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): RouteDef<I, O> {
  return { input, output };
}

export type RouteMap = Record<`${string}.${string}`, RouteDef>;
export type EventMap = Record<`${string}.${string}`, z.ZodType>;
