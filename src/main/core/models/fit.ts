import { cpus, freemem, totalmem } from 'node:os';
import type { GgufInsights, Llama } from 'node-llama-cpp';
import type { Hardware, ModelFit } from '../../../shared/contract/models';

/** Above this share of free memory a model still loads, but the rest of the machine will feel it. */
const TIGHT_SHARE_OF_FREE = 0.7;
/** A context smaller than this (or the trained size, if smaller) is too small for a useful chat. */
const USEFUL_CONTEXT = 2048;

export async function readHardware(llama: Llama): Promise<Hardware> {
  const vram = await llama.getVramState().catch(() => ({ total: 0, free: 0 }));
  const gpuDevices = await llama.getGpuDeviceNames().catch(() => [] as string[]);
  return {
    backend: llama.gpu === false ? 'cpu' : llama.gpu,
    gpuDevices,
    cpuCores: cpus().length,
    ramTotalBytes: totalmem(),
    ramFreeBytes: freemem(),
    vramTotalBytes: vram.total,
    vramFreeBytes: vram.free,
  };
}

/**
 * No released model is trained on more than about 10M tokens (Llama 4 Scout). A larger claim is a
 * damaged or mis-converted header, such as 0xFFFFFFFF written for "unknown".
 */
export const MAX_PLAUSIBLE_CONTEXT = 1 << 24;
/** What LoadedModel.defaultContextSize uses when the trained size is unknown or absurd. */
const ENGINE_DEFAULT_CONTEXT = 4096;
/** Context sizes the per-token memory cost is measured between (the estimate is linear there). */
const PROBE_CONTEXTS = [2048, 4096] as const;

/** A warning for a trained context size no model has; null when the claim is plausible or absent. */
export function contextMetadataWarning(trainContextSize: number | null | undefined): string | null {
  if (trainContextSize === null || trainContextSize === undefined) return null;
  if (trainContextSize > 0 && trainContextSize <= MAX_PLAUSIBLE_CONTEXT) return null;
  return (
    `This file's metadata claims a trained context of ${trainContextSize.toLocaleString('en-US')} tokens, which no model has: ` +
    `the header is probably damaged or mis-converted. Parity ignores it and uses a context that fits in memory; ` +
    `set the context size yourself if you know the real one.`
  );
}

/** Fit from node-llama-cpp's insights: the configuration it would pick on this machine, and whether that is comfortable. */
export async function computeFit(insights: GgufInsights, hardware: Hardware): Promise<ModelFit> {
  const claimed = insights.trainContextSize;
  const warning = contextMetadataWarning(claimed);
  // For an absurd claim node-llama-cpp's own figures overflow (4.29e9 tokens in 2.5 MB): size the
  // memory figures for the context the engine will actually use by default.
  const resolved = await insights.configurationResolver.resolveAndScoreConfig(warning ? { targetContextSize: ENGINE_DEFAULT_CONTEXT } : {});
  const v = resolved.resolvedValues;
  const trained = claimed && !warning ? claimed : USEFUL_CONTEXT;
  const useful = Math.min(trained, USEFUL_CONTEXT);
  const base = { gpuLayers: v.gpuLayers, ramBytes: v.totalRamUsage, vramBytes: v.totalVramUsage, basis: 'insights' as const };
  const overRam = v.modelRamUsage > hardware.ramTotalBytes;
  const withWarning = (note: string | null): string | null => (warning ? (note ? `${warning} ${note}` : warning) : note);
  // The largest context is also checked against free memory here, not only node-llama-cpp's pick.
  const memoryMax = await largestContextInMemory(insights, v.gpuLayers, hardware, v.modelRamUsage + v.modelVramUsage);
  const contextSize = warning ? Math.min(MAX_PLAUSIBLE_CONTEXT, memoryMax ?? ENGINE_DEFAULT_CONTEXT) : Math.min(v.contextSize, memoryMax ?? Infinity);
  if (resolved.compatibilityScore === 0 || overRam || contextSize < Math.min(useful, 512)) {
    return { ...base, level: 'wont_fit', maxContextSize: null, note: withWarning('Not enough memory to load this model with a usable context.') };
  }
  const free = hardware.ramFreeBytes + (hardware.vramFreeBytes > 0 ? hardware.vramFreeBytes : 0);
  const tight = resolved.compatibilityScore < 1 || contextSize < useful || v.totalRamUsage + v.totalVramUsage > free * TIGHT_SHARE_OF_FREE;
  return {
    ...base,
    level: tight ? 'tight' : 'fits',
    maxContextSize: contextSize,
    note: withWarning(tight ? 'Loads, but leaves little memory free; close other programs or use a smaller context.' : null),
  };
}

/**
 * The largest context whose KV cache and buffers fit in free memory beside the weights, from two
 * small estimates (the cost grows linearly with the context); null when it cannot be estimated.
 */
async function largestContextInMemory(insights: GgufInsights, gpuLayers: number, hardware: Hardware, modelBytes: number): Promise<number | null> {
  try {
    const [small, large] = await Promise.all(
      PROBE_CONTEXTS.map(async (contextSize) => {
        const r = await insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: gpuLayers });
        return r.cpuRam + r.gpuVram;
      }),
    );
    const perToken = (large! - small!) / (PROBE_CONTEXTS[1] - PROBE_CONTEXTS[0]);
    if (!(perToken > 0)) return null;
    const available = hardware.ramFreeBytes + Math.max(0, hardware.vramFreeBytes) - modelBytes - (small! - perToken * PROBE_CONTEXTS[0]);
    return Math.max(0, Math.floor(available / perToken / 256) * 256);
  } catch {
    return null;
  }
}

/** Fit before a download, from the catalogue's RAM figure (or the file size) alone. */
export function estimateFit(sizeBytes: number, ramBytes: number, hardware: Hardware, trainContextSize = 4096): ModelFit {
  const need = Math.max(ramBytes, sizeBytes);
  const base = { gpuLayers: 0, ramBytes: need, vramBytes: 0, basis: 'size-estimate' as const };
  const available = Math.max(hardware.ramTotalBytes, hardware.vramTotalBytes);
  if (need > available) {
    return { ...base, level: 'wont_fit', maxContextSize: null, note: `Needs about ${gib(need)}; this machine has ${gib(available)}.` };
  }
  const tight = need > hardware.ramFreeBytes * TIGHT_SHARE_OF_FREE + hardware.vramFreeBytes;
  return {
    ...base,
    level: tight ? 'tight' : 'fits',
    maxContextSize: tight ? Math.min(trainContextSize, USEFUL_CONTEXT) : trainContextSize,
    note: tight ? `Needs about ${gib(need)} of ${gib(hardware.ramFreeBytes)} free.` : null,
  };
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
