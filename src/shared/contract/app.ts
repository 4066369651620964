import { z } from 'zod';
import { route } from './route';

/** Whether the local database can be written, and why not; shown as a banner when read-only. */
export const StoreHealthSchema = z.object({
  /** The background integrity check: `checking` until it finishes; `unchecked` if it could not run. */
  integrity: z.enum(['unchecked', 'checking', 'ok', 'damaged']),
  readOnly: z.boolean(),
  /** What happened and what to do, for the banner; null while all is well. */
  message: z.string().nullable(),
});
export type StoreHealth = z.infer<typeof StoreHealthSchema>;

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
  store: StoreHealthSchema,
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const PickPathInputSchema = z
  .object({
    kind: z.enum(['file', 'folder']),
    title: z.string().max(200).optional(),
    /** File name extensions to offer, without the dot (e.g. ['gguf']). */
    extensions: z.array(z.string().regex(/^[a-z0-9]{1,16}$/i)).max(10).optional(),
  })
  .strict();
export type PickPathInput = z.infer<typeof PickPathInputSchema>;

export const appRoutes = {
  'app.info': route(z.object({}).strict(), AppInfoSchema),
  /** The desktop app's native open dialog; `{ path: null }` when the user cancels. Not available in the browser. */
  'app.pickPath': route(PickPathInputSchema, z.object({ path: z.string().nullable() })),
} as const;
