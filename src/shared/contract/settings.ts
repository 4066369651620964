import { z } from 'zod';
import { route } from './route';

/**
 * Every known setting with its schema and default. A key that is not here cannot be read or
 * written, and a value is validated against its own key's schema.
 */
export const SETTINGS = {
  theme: { schema: z.enum(['system', 'light', 'dark']), default: 'system' },
  offline: { schema: z.boolean(), default: false },
  auditPromptText: { schema: z.boolean(), default: false },
  /** 0 = automatic: half the CPU cores, at least 1 (more threads than free cores collapses llama.cpp's speed). */
  defaultThreads: { schema: z.number().int().min(0).max(256), default: 0 },
  idleUnloadMinutes: { schema: z.number().int().min(0).max(24 * 60), default: 15 },
  memoryBudgetMb: { schema: z.number().int().min(0), default: 0 },
  localHourlyRateUsd: { schema: z.number().min(0), default: 0 },
  /*
   * Settings → Cost: what running a model on your own hardware costs, for the Decide view and the
   * decision record (see shared/domain/costModel.ts). Defaults are labelled where they are shown.
   */
  /** Own the machine (hardware amortised + power) or rent a GPU by the hour. */
  costLocalMode: { schema: z.enum(['owned', 'rented']), default: 'owned' },
  /** A workstation with one 24 GB GPU. */
  costHardwareUsd: { schema: z.number().min(0).max(10_000_000), default: 2500 },
  costHardwareLifeYears: { schema: z.number().min(0.25).max(20), default: 3 },
  /** A rented 24 GB-class cloud GPU. */
  costGpuHourlyUsd: { schema: z.number().min(0).max(10_000), default: 0.8 },
  costPowerWatts: { schema: z.number().min(0).max(100_000), default: 350 },
  costElectricityUsdPerKWh: { schema: z.number().min(0).max(10), default: 0.15 },
  costHoursPerDay: { schema: z.number().min(1).max(24), default: 24 },
  costOpsUsdPerMonth: { schema: z.number().min(0).max(10_000_000), default: 200 },
  costLocalParallelism: { schema: z.number().int().min(1).max(256), default: 1 },
  costPeakFactor: { schema: z.number().min(1).max(100), default: 2 },
  /** The desktop app's OpenAI-compatible API port: off unless the user turns it on. */
  apiServerEnabled: { schema: z.boolean(), default: false },
  /** Loopback unless the user types another address (Settings → API warns about that). */
  apiServerHost: { schema: z.string().trim().min(1).max(255), default: '127.0.0.1' },
  apiServerPort: { schema: z.number().int().min(1).max(65535), default: 4891 },
  /**
   * Model that grades llm-rubric/g-eval assertions naming no grader, when the run names none
   * (`--grader`). Empty: those assertions are skipped with "needs a grader model".
   */
  evalGraderModel: { schema: z.union([z.literal(''), z.string().trim().regex(/^[a-z][\w-]*:.+$/, 'a model ref, e.g. openai:gpt-4o-mini or local:<id>')]), default: '' },
} as const satisfies Record<string, { schema: z.ZodType; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]['schema']>;
export type SettingsValues = { [K in SettingKey]: SettingValue<K> };
export type SettingEntry = { [K in SettingKey]: { key: K; value: SettingValue<K> } }[SettingKey];

export const SETTING_KEYS = Object.keys(SETTINGS) as [SettingKey, ...SettingKey[]];
export const SettingKeySchema = z.enum(SETTING_KEYS);

function validateValue(key: SettingKey, value: unknown, ctx: z.RefinementCtx): void {
  const parsed = SETTINGS[key].schema.safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    ctx.addIssue({ code: 'custom', message: `${key}: ${issue.message}`, path: ['value', ...issue.path] });
  }
}

/** `{ key, value }` where value is checked against the schema of that key. */
export const SettingEntrySchema = z
  .object({ key: SettingKeySchema, value: z.unknown() })
  .strict()
  .superRefine((entry, ctx) => validateValue(entry.key, entry.value, ctx))
  .transform((entry) => entry as SettingEntry);

export const settingsRoutes = {
  'settings.get': route(z.object({ key: SettingKeySchema }).strict(), SettingEntrySchema),
  'settings.getAll': route(z.object({}).strict(), z.record(z.string(), z.unknown())),
  'settings.set': route(SettingEntrySchema, SettingEntrySchema),
} as const;
