import { z } from 'zod';
import { route } from './route';

/** An API key as the app may show it: never the key itself, only its last four characters. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  last4: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** Returned once, by create: the only time the full key exists outside its owner's hands. */
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreatedSchema>;

/** One request to the OpenAI-compatible API, as the live log shows it. Nulls mean "not measured". */
export const ApiRequestEntrySchema = z.object({
  id: z.string(),
  time: z.string(),
  /** Null when the request carried no valid key (it was refused). */
  keyName: z.string().nullable(),
  keyId: z.string().nullable(),
  endpoint: z.string(),
  model: z.string().nullable(),
  /** True when the model ran on this device: nothing left the machine. */
  local: z.boolean().nullable(),
  stream: z.boolean(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  ttftMs: z.number().nullable(),
  totalMs: z.number(),
  /** The HTTP status answered (499 when the client went away first). */
  status: z.number().int(),
  error: z.string().nullable(),
});
export type ApiRequestEntry = z.infer<typeof ApiRequestEntrySchema>;

export const ApiListenerStatusSchema = z.object({
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  running: z.boolean(),
  /** The base URL clients use (`http://host:port/v1`) while running. */
  baseUrl: z.string().nullable(),
  error: z.string().nullable(),
});
export type ApiListenerStatus = z.infer<typeof ApiListenerStatusSchema>;

export const ApiStatusSchema = z.object({
  /** Every base URL the API answers on right now (the serve port, the desktop's API port). */
  baseUrls: z.array(z.string()),
  /** The desktop app's own API port; null where there is none (serve, CLI). */
  listener: ApiListenerStatusSchema.nullable(),
});
export type ApiStatus = z.infer<typeof ApiStatusSchema>;

const KeyNameSchema = z.string().trim().min(1, 'give the key a name').max(64);

export const apiRoutes = {
  'api.keys.create': route(z.object({ name: KeyNameSchema }).strict(), ApiKeyCreatedSchema),
  'api.keys.list': route(z.object({}).strict(), z.object({ keys: z.array(ApiKeySchema) })),
  'api.keys.revoke': route(z.object({ id: z.string().min(1) }).strict(), ApiKeySchema),
  'api.requests.list': route(z.object({}).strict(), z.object({ requests: z.array(ApiRequestEntrySchema) })),
  'api.status': route(z.object({}).strict(), ApiStatusSchema),
} as const;

export const apiEvents = {
  /** A request to the OpenAI-compatible API finished (or was refused). */
  'api.request': ApiRequestEntrySchema,
  /** The set of base URLs or the desktop listener's state changed. */
  'api.status': ApiStatusSchema,
} as const;
