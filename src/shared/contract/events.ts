import { z } from 'zod';
import { SettingKeySchema } from './settings';

/** Events pushed from main to every connected renderer. Payloads are validated before sending. */
export const appEvents = {
  'settings.changed': z.object({ key: SettingKeySchema, value: z.unknown() }),
} as const;
