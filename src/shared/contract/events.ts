import { z } from 'zod';
import { StoreHealthSchema } from './app';
import { SettingKeySchema } from './settings';

/** Events pushed from main to every connected renderer. Payloads are validated before sending. */
export const appEvents = {
  'settings.changed': z.object({ key: SettingKeySchema, value: z.unknown() }),
  /** The store became read-only (e.g. the integrity check found damage) or finished checking. */
  'app.storeHealth': StoreHealthSchema,
} as const;
