import { z } from 'zod';
import { route } from './route';

export const KeyProtectionSchema = z.enum(['os-keychain', 'master-key-file', 'none']);

/** What the renderer may know about a key: never the key itself. */
export const KeyStatusSchema = z.object({
  keySet: z.boolean(),
  last4: z.string().nullable(),
  source: z.enum(['env', 'stored', 'file']).nullable(),
});
export type KeyStatus = z.infer<typeof KeyStatusSchema>;

export const ProviderStatusSchema = z.object({
  /** `openai`, `anthropic`, `google`, `local`, or `compat:<endpoint>`. */
  id: z.string(),
  label: z.string(),
  kind: z.enum(['local', 'cloud', 'compat']),
  enabled: z.boolean(),
  key: KeyStatusSchema,
  baseUrl: z.string().nullable(),
  /** Null for this device. */
  host: z.string().nullable(),
  /** Environment variable that supplies the key, if any. */
  keyEnv: z.string().nullable(),
  models: z.array(z.string()),
  source: z.enum(['builtin', 'settings', 'file']),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

export const ProvidersListSchema = z.object({
  providers: z.array(ProviderStatusSchema),
  /** How stored keys are protected on this install, said plainly. */
  protection: KeyProtectionSchema,
  protectionLabel: z.string(),
  offline: z.boolean(),
  presets: z.array(z.object({ id: z.string(), label: z.string(), baseUrl: z.string(), keyEnv: z.string().nullable() })),
});
export type ProvidersList = z.infer<typeof ProvidersListSchema>;

export const ProviderModelSchema = z.object({
  ref: z.string(),
  name: z.string(),
  provider: z.string(),
  local: z.boolean(),
  contextLength: z.number().int().nullable(),
  /** Null for this device, else where prompts go. */
  host: z.string().nullable(),
});
export type ProviderModel = z.infer<typeof ProviderModelSchema>;

export const PriceEntrySchema = z.object({
  ref: z.string(),
  inputPerMTok: z.number().min(0),
  outputPerMTok: z.number().min(0),
  cachedInputPerMTok: z.number().min(0).nullable(),
  source: z.enum(['default', 'user']),
});
export type PriceEntryDto = z.infer<typeof PriceEntrySchema>;

const ProviderIdSchema = z.string().regex(/^(openai|anthropic|google|compat:[a-z0-9._-]+)$/, 'openai, anthropic, google or compat:<endpoint>');
const EndpointNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'lowercase letters, digits, ".", "_" or "-"');

export const providersRoutes = {
  'providers.list': route(z.object({}).strict(), ProvidersListSchema),
  'providers.setKey': route(z.object({ provider: ProviderIdSchema, key: z.string().min(4).max(4096) }).strict(), KeyStatusSchema),
  'providers.clearKey': route(z.object({ provider: ProviderIdSchema }).strict(), KeyStatusSchema),
  'providers.setEnabled': route(z.object({ provider: z.string().min(1), enabled: z.boolean() }).strict(), z.object({ provider: z.string(), enabled: z.boolean() })),
  'providers.addEndpoint': route(
    z.object({ name: EndpointNameSchema, baseUrl: z.url(), models: z.array(z.string().min(1)).default([]), preset: z.string().nullable().optional(), key: z.string().min(4).optional() }).strict(),
    ProviderStatusSchema,
  ),
  'providers.removeEndpoint': route(z.object({ name: EndpointNameSchema }).strict(), z.object({ removed: z.boolean() })),
  /** Every model of every registered provider, local included. `refresh` asks remote providers (network). */
  'providers.models': route(z.object({ refresh: z.boolean().default(false) }).strict(), z.object({ models: z.array(ProviderModelSchema), errors: z.array(z.object({ provider: z.string(), code: z.string(), message: z.string() })) })),
  'providers.destination': route(z.object({ ref: z.string().min(3) }).strict(), z.object({ ref: z.string(), host: z.string().nullable(), local: z.boolean() })),
  'prices.get': route(z.object({}).strict(), z.object({ version: z.number().int(), asOf: z.string(), prices: z.array(PriceEntrySchema) })),
  'prices.set': route(
    z.object({ ref: z.string().min(3), inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0), cachedInputPerMTok: z.number().min(0).nullable().default(null), reset: z.boolean().default(false) }).strict(),
    z.object({ version: z.number().int(), asOf: z.string(), prices: z.array(PriceEntrySchema) }),
  ),
} as const;
