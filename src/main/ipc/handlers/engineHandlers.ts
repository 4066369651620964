import { localId } from '../../../shared/domain/modelRef';
import type { EventBus } from '../../core/events/EventBus';
import type { LlamaEngine } from '../../core/engine/LlamaEngine';
import type { LocalModelResolver } from '../../core/models/LocalModelResolver';
import type { DomainHandlers } from '../Router';

export interface EngineHandlersOptions {
  engine: LlamaEngine;
  resolver: LocalModelResolver;
  bus: EventBus;
}

export function engineHandlers({ engine, resolver, bus }: EngineHandlersOptions): DomainHandlers<'engine'> {
  return {
    'engine.status': () => engine.status(),
    'engine.load': async ({ model, gpuLayers }, ctx) => {
      const info = await resolver.resolve(model, { signal: ctx.signal });
      const { loadMs } = await engine.load(info, {
        gpuLayers,
        signal: ctx.signal,
        onLoadProgress: (progress) => bus.emit('engine.loadProgress', { modelId: info.id, progress: Math.min(1, Math.max(0, progress)) }),
      });
      return { id: info.id, loadMs };
    },
    'engine.unload': async ({ model }) => {
      const id = localId(model);
      return { unloaded: await engine.unload(id) };
    },
  };
}
