import { z } from 'zod';
import { route } from './route';

/** Whether the model fits this machine, and the largest context that does. */
export const ModelFitSchema = z.object({
  level: z.enum(['fits', 'tight', 'wont_fit', 'unknown']),
  /** Largest context (tokens) that fits, capped at what the model was trained for. */
  maxContextSize: z.number().int().nullable(),
  gpuLayers: z.number().int(),
  ramBytes: z.number(),
  vramBytes: z.number(),
  /** Whether the figures came from the GGUF (insights) or only from the file size (catalogue). */
  basis: z.enum(['insights', 'size-estimate']),
  note: z.string().nullable(),
});
export type ModelFit = z.infer<typeof ModelFitSchema>;

export const LicenceInfoSchema = z.object({
  /** `general.license` as written in the file, or null when the file names none. */
  id: z.string().nullable(),
  name: z.string().nullable(),
  commercialUse: z.enum(['allowed', 'restricted', 'unknown']),
  warning: z.string().nullable(),
});
export type LicenceInfo = z.infer<typeof LicenceInfoSchema>;

export const ModelStorageSchema = z.enum(['copy', 'link']);
export type ModelStorage = z.infer<typeof ModelStorageSchema>;

export const HashStateSchema = z.enum(['pending', 'hashing', 'done', 'failed']);

export const ModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  fileName: z.string(),
  path: z.string(),
  storage: ModelStorageSchema,
  sizeBytes: z.number(),
  architecture: z.string().nullable(),
  parameterCount: z.number().nullable(),
  quantization: z.string().nullable(),
  trainContextSize: z.number().int().nullable(),
  hasChatTemplate: z.boolean(),
  licence: LicenceInfoSchema,
  sha256: z.string().nullable(),
  hashState: HashStateSchema,
  sourceUrl: z.string().nullable(),
  addedAt: z.string(),
  /** False when a linked file was moved or deleted outside Parity. */
  fileExists: z.boolean(),
  fit: ModelFitSchema.nullable(),
  /** Something wrong with the file's metadata a user should know (e.g. an impossible trained context). */
  metadataWarning: z.string().nullable().optional(),
});
export type Model = z.infer<typeof ModelSchema>;

export const HardwareSchema = z.object({
  backend: z.string(),
  gpuDevices: z.array(z.string()),
  cpuCores: z.number().int(),
  ramTotalBytes: z.number(),
  ramFreeBytes: z.number(),
  vramTotalBytes: z.number(),
  vramFreeBytes: z.number(),
});
export type Hardware = z.infer<typeof HardwareSchema>;

export const CatalogueEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  parameters: z.string(),
  quantization: z.string(),
  sizeBytes: z.number(),
  ramBytes: z.number(),
  licence: LicenceInfoSchema,
  uri: z.string(),
  sha256: z.string().nullable(),
  description: z.string(),
  fit: ModelFitSchema,
  /** Library id when a model with this file (or digest) is already in the library. */
  inLibrary: z.string().nullable(),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const DownloadStatusSchema = z.enum([
  'downloading',
  'paused',
  'interrupted',
  'verifying',
  'completed',
  'failed',
  'cancelled',
]);
export type DownloadStatus = z.infer<typeof DownloadStatusSchema>;

export const DownloadSchema = z.object({
  id: z.string(),
  source: z.string(),
  url: z.string(),
  fileName: z.string(),
  status: DownloadStatusSchema,
  receivedBytes: z.number(),
  totalBytes: z.number().nullable(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  expectedSha256: z.string().nullable(),
  error: z.string().nullable(),
  /**
   * Set while a failed attempt waits for its retry (status stays 'downloading'): which retry comes
   * next, of how many, why the last attempt failed, and when the next one starts.
   */
  retry: z.object({ attempt: z.number().int(), max: z.number().int(), reason: z.string(), nextAt: z.string() }).nullable(),
  modelId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Download = z.infer<typeof DownloadSchema>;

const Sha256Schema = z.string().regex(/^[a-fA-F0-9]{64}$/, 'must be a sha256 hex digest (64 hex characters)');
const IdInput = z.object({ id: z.string().min(1) }).strict();

export const modelsRoutes = {
  'models.list': route(z.object({}).strict(), z.array(ModelSchema)),
  'models.get': route(IdInput, ModelSchema),
  'models.import': route(
    z.object({ path: z.string().min(1), mode: ModelStorageSchema.default('copy') }).strict(),
    z.object({ model: ModelSchema, alreadyPresent: z.boolean() }),
  ),
  'models.scan': route(
    z.object({ folder: z.string().min(1), mode: ModelStorageSchema.default('link') }).strict(),
    z.object({
      imported: z.array(ModelSchema),
      alreadyPresent: z.array(z.string()),
      skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
    }),
  ),
  /** Resolves once the model's background sha256 is done (progress as `models.hashProgress`), with the model. */
  'models.waitForHash': route(IdInput, ModelSchema),
  'models.remove': route(IdInput, z.object({ id: z.string(), fileDeleted: z.boolean() })),
  'models.catalogue': route(z.object({}).strict(), z.array(CatalogueEntrySchema)),
  'models.hardware': route(z.object({}).strict(), HardwareSchema),
  'models.download.start': route(
    z
      .object({
        source: z.string().min(1),
        expectedSha256: Sha256Schema.optional(),
        catalogueId: z.string().optional(),
      })
      .strict(),
    DownloadSchema,
  ),
  'models.download.pause': route(IdInput, DownloadSchema),
  'models.download.resume': route(IdInput, DownloadSchema),
  'models.download.cancel': route(IdInput, DownloadSchema),
  'models.download.list': route(z.object({}).strict(), z.array(DownloadSchema)),
  /** Resolves when the download stops running (completed, failed, paused, cancelled); progress as `models.downloadProgress`. */
  'models.download.wait': route(IdInput, DownloadSchema),
} as const;

export const modelsEvents = {
  'models.hashProgress': z.object({
    modelId: z.string(),
    bytes: z.number(),
    total: z.number(),
    state: HashStateSchema,
    sha256: z.string().nullable(),
  }),
  'models.downloadProgress': DownloadSchema,
  'models.changed': z.object({ reason: z.enum(['added', 'removed', 'updated']), modelId: z.string() }),
} as const;
