import type { ChatWrapper, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { ResolvedLocalModel } from '../models/LocalModelResolver';
import { chatWrapperFor } from './chatWrappers';
import { mapLoadError } from './engineErrors';

export interface ContextKeyOptions {
  contextSize: number;
  threads: number;
  /** Sequences per context for this caller; the model's default when absent. */
  sequences?: number;
  /**
   * The lease starts on an empty sequence (an eval cell: nothing continues from earlier state). A
   * sequence that still holds tokens must be erased first, and node-llama-cpp erases under the
   * context's lock, which its batch loop holds for as long as any other sequence has a token queued:
   * a cell starting next to seven decoding ones waited seconds for that. So a released sequence is
   * cleared in the background, and such a context has one spare sequence to start on meanwhile.
   */
  fresh?: boolean;
}

interface PooledContext {
  context: LlamaContext;
  free: LlamaContextSequence[];
  /** Released sequences being cleared (fresh pools); each goes back to `free` when done. */
  cleaning: Set<Promise<void>>;
}

/**
 * One model held in memory, shared by every conversation that uses it. Conversations borrow
 * context sequences: contexts with the same size and thread count are pooled, each holding
 * `sequencesPerContext` sequences, so two chats on one model run in one batch. A returned
 * sequence keeps its KV cache, so the next turn of a chat only evaluates the new tokens.
 */
export class LoadedModel {
  readonly info: ResolvedLocalModel;
  readonly model: LlamaModel;
  readonly requestedGpuLayers: number | 'auto' | 'max';
  readonly #sequencesPerContext: number;
  readonly #pools = new Map<string, PooledContext[]>();
  readonly #acquiring = new Map<string, Promise<void>>();
  readonly #wrappers = new Map<string, ChatWrapper>();
  #leases = 0;
  lastUsed = Date.now();
  idleTimer: NodeJS.Timeout | null = null;

  constructor(info: ResolvedLocalModel, model: LlamaModel, requestedGpuLayers: number | 'auto' | 'max', sequencesPerContext: number) {
    this.info = info;
    this.model = model;
    this.requestedGpuLayers = requestedGpuLayers;
    this.#sequencesPerContext = sequencesPerContext;
  }

  get activeLeases(): number {
    return this.#leases;
  }

  /** Bytes the weights occupy (RAM + VRAM); what the memory budget counts. */
  get sizeBytes(): number {
    return this.model.size;
  }

  chatWrapper(template: string | undefined): ChatWrapper {
    const key = template ?? 'auto';
    let wrapper = this.#wrappers.get(key);
    if (!wrapper) {
      wrapper = chatWrapperFor(this.model, template);
      this.#wrappers.set(key, wrapper);
    }
    return wrapper;
  }

  /** A default context size that fits small test models and keeps big ones from allocating their full trained context. */
  defaultContextSize(): number {
    // llama.cpp reads the trained size as int32: a header claiming 0xFFFFFFFF tokens arrives as -1,
    // and a context of -1 tokens became a 1-token context that could not hold a prompt.
    const trained = this.model.trainContextSize;
    return trained > 0 ? Math.min(trained, 4096) : 4096;
  }

  /**
   * Borrows a sequence. Acquisitions of one key run one after another: callers arriving together
   * must share the context the first of them is creating, not each create one of their own.
   */
  acquire(options: ContextKeyOptions, signal?: AbortSignal): Promise<{ sequence: LlamaContextSequence; release: () => void }> {
    const fresh = options.fresh === true;
    const sequences = (options.sequences ?? this.#sequencesPerContext) + (fresh ? 1 : 0);
    const key = `${options.contextSize}/${options.threads}/${sequences}${fresh ? '/fresh' : ''}`;
    const previous = this.#acquiring.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.#acquireNow(key, options.contextSize, options.threads, sequences, fresh, signal));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#acquiring.set(key, settled);
    void settled.then(() => {
      if (this.#acquiring.get(key) === settled) this.#acquiring.delete(key);
    });
    return mine;
  }

  async #acquireNow(
    key: string,
    contextSize: number,
    threads: number,
    sequences: number,
    fresh: boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ sequence: LlamaContextSequence; release: () => void }> {
    let pool = this.#pools.get(key);
    if (!pool) this.#pools.set(key, (pool = []));
    let { sequence, owner } = takeSequence(pool);
    // Every sequence is busy or being cleared: one being cleared frees up sooner than a new context is built.
    while (!sequence && fresh) {
      const cleaning = pool.flatMap((p) => [...p.cleaning]);
      if (cleaning.length === 0) break;
      await Promise.race(cleaning);
      ({ sequence, owner } = takeSequence(pool));
    }
    if (!sequence || !owner) {
      let context: LlamaContext;
      try {
        context = await this.model.createContext({
          contextSize,
          threads,
          sequences,
          createSignal: signal,
        });
      } catch (error) {
        throw mapLoadError(error, { path: this.info.path, name: `a ${contextSize}-token context for ${this.info.name}` }, signal);
      }
      owner = { context, free: [], cleaning: new Set() };
      pool.push(owner);
      sequence = context.getSequence();
    }
    this.#leases += 1;
    this.lastUsed = Date.now();
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const pooled = owner;
    const leased = sequence;
    let released = false;
    return {
      sequence: leased,
      release: () => {
        if (released) return;
        released = true;
        this.#leases -= 1;
        this.lastUsed = Date.now();
        if (leased.disposed) return;
        if (!fresh || leased.nextTokenIndex === 0) {
          pooled.free.push(leased);
          return;
        }
        const cleared: Promise<void> = leased
          .clearHistory()
          .then(
            () => void pooled.free.push(leased),
            // A sequence that cannot be cleared is not handed out again; its id returns to the context.
            () => void leased.dispose(),
          )
          .finally(() => pooled.cleaning.delete(cleared));
        pooled.cleaning.add(cleared);
      },
    };
  }

  contextCount(): number {
    let n = 0;
    for (const pool of this.#pools.values()) n += pool.length;
    return n;
  }

  async dispose(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const pool of this.#pools.values()) {
      for (const pooled of pool) {
        await Promise.allSettled([...pooled.cleaning]);
        await pooled.context.dispose();
      }
    }
    this.#pools.clear();
    if (!this.model.disposed) await this.model.dispose();
  }
}

/** A free sequence of the pool, or a new one from a context that has some left. */
function takeSequence(pool: PooledContext[]): { sequence?: LlamaContextSequence; owner?: PooledContext } {
  for (const pooled of pool) {
    const sequence = pooled.free.pop();
    if (sequence) return { sequence, owner: pooled };
    if (pooled.context.sequencesLeft > 0) return { sequence: pooled.context.getSequence(), owner: pooled };
  }
  return {};
}
