import { z } from 'zod';
import { route } from './route';

export const LoadedModelStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  gpuLayers: z.number().int(),
  activeLeases: z.number().int(),
  contexts: z.number().int(),
  lastUsedAt: z.string(),
});

export const EngineStatusSchema = z.object({
  /** 'cpu', 'metal', 'cuda' or 'vulkan'. */
  backend: z.string(),
  devices: z.array(z.string()),
  vram: z.object({ totalBytes: z.number(), usedBytes: z.number(), freeBytes: z.number() }).nullable(),
  cpuMathCores: z.number().int(),
  loaded: z.array(LoadedModelStatusSchema),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

export const engineRoutes = {
  'engine.status': route(z.object({}).strict(), EngineStatusSchema),
  'engine.load': route(
    z.object({ model: z.string().min(1), gpuLayers: z.union([z.number().int().min(0), z.literal('auto'), z.literal('max')]).optional() }).strict(),
    z.object({ id: z.string(), loadMs: z.number() }),
  ),
  'engine.unload': route(z.object({ model: z.string().min(1) }).strict(), z.object({ unloaded: z.boolean() })),
} as const;

export const engineEvents = {
  'engine.loadProgress': z.object({ modelId: z.string(), progress: z.number().min(0).max(1) }),
  'engine.changed': z.object({}),
} as const;
