import { z } from 'zod';
import { route } from './route';

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  databasePath: z.string(),
  schemaVersion: z.number().int(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  chromeVersion: z.string().nullable(),
  platform: z.string(),
  arch: z.string(),
  mode: z.enum(['desktop', 'serve', 'cli']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appRoutes = {
  'app.info': route(z.object({}).strict(), AppInfoSchema),
} as const;
