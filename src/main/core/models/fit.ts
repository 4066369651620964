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

/** Fit from node-llama-cpp's insights: the configuration it would pick on this machine, and whether that is comfortable. */
export async function computeFit(insights: GgufInsights, hardware: Hardware): Promise<ModelFit> {
  const resolved = await insights.configurationResolver.resolveAndScoreConfig({});
  const v = resolved.resolvedValues;
  const trained = insights.trainContextSize ?? USEFUL_CONTEXT;
  const useful = Math.min(trained, USEFUL_CONTEXT);
  const base = { gpuLayers: v.gpuLayers, ramBytes: v.totalRamUsage, vramBytes: v.totalVramUsage, basis: 'insights' as const };
  const overRam = v.modelRamUsage > hardware.ramTotalBytes;
  if (resolved.compatibilityScore === 0 || overRam || v.contextSize < Math.min(useful, 512)) {
    return { ...base, level: 'wont_fit', maxContextSize: null, note: 'Not enough memory to load this model with a usable context.' };
  }
  const free = hardware.ramFreeBytes + (hardware.vramFreeBytes > 0 ? hardware.vramFreeBytes : 0);
  const tight = resolved.compatibilityScore < 1 || v.contextSize < useful || v.totalRamUsage + v.totalVramUsage > free * TIGHT_SHARE_OF_FREE;
  return {
    ...base,
    level: tight ? 'tight' : 'fits',
    maxContextSize: v.contextSize,
    note: tight ? 'Loads, but leaves little memory free; close other programs or use a smaller context.' : null,
  };
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
