import type { ChatWrapper, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { ResolvedLocalModel } from '../models/LocalModelResolver';
import { chatWrapperFor } from './chatWrappers';
import { mapLoadError } from './engineErrors';
import { chooseSequence, type SequenceCandidate } from './sequenceChoice';

export interface ContextKeyOptions {
  contextSize: number;
  threads: number;
  /** Generations this caller runs at once on the model (its leases); the model's default when absent. */
  sequences?: number;
  /**
   * The lease starts on an empty sequence and nothing continues from its state (an eval cell): a
   * released sequence is cleared in the background, and the context has one spare to start on meanwhile.
   */
  fresh?: boolean;
  /**
   * The tokens the generation will evaluate first (the rendered prompt). A free sequence already holding
   * a prefix of them is preferred, so a conversation's next turn evaluates only its new tokens.
   */
  prompt?: readonly Token[];
}

interface PooledContext {
  context: LlamaContext;
  /** Free sequences, least recently released first. */
  free: LlamaContextSequence[];
  /** Released sequences being cleared; each goes back to `free` when done. */
  cleaning: Set<Promise<void>>;
  /** Leases out on this context. */
  leased: number;
}

/** How contexts of one key are shaped and how many released sequences keep what they hold. */
interface PoolPolicy {
  /** Sequences per context. */
  sequences: number;
  /** Free sequences per context that keep their tokens; older ones are cleared in the background. */
  keep: number;
}

/**
 * node-llama-cpp erases a sequence only while at most one other sequence of its context decodes (see
 * sequenceChoice.ts). Up to 2 leases that always holds, so every released sequence keeps its cache for
 * the conversation's next turn. From 3 leases on (the API's parallel requests, evals) a request arriving
 * while the others decode needs an empty sequence ready: the context gets one spare and keeps only the
 * most recently released sequence's tokens (none for eval cells), so at least one free sequence is
 * always empty or being cleared.
 */
export function poolPolicy(leases: number, fresh: boolean): PoolPolicy {
  if (fresh) return { sequences: leases + 1, keep: 0 };
  if (leases >= 3) return { sequences: leases + 1, keep: 1 };
  return { sequences: leases, keep: Number.POSITIVE_INFINITY };
}

/**
 * One model held in memory, shared by every conversation that uses it. Conversations borrow
 * context sequences: contexts with the same size and thread count are pooled, each holding
 * `sequencesPerContext` sequences, so two chats on one model run in one batch. A returned
 * sequence keeps its KV cache (within poolPolicy's limit), and the next lease whose prompt starts
 * with what a free sequence holds gets that one, so a chat's next turn only evaluates the new tokens.
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
   * must share the context the first of them is creating, not each create one of their own, and an
   * erase started here is queued on the context before a later lease can start decoding next to it.
   */
  acquire(options: ContextKeyOptions, signal?: AbortSignal): Promise<{ sequence: LlamaContextSequence; release: () => void }> {
    const fresh = options.fresh === true;
    const leases = options.sequences ?? this.#sequencesPerContext;
    const policy = poolPolicy(leases, fresh);
    const key = `${options.contextSize}/${options.threads}/${leases}${fresh ? '/fresh' : ''}`;
    const previous = this.#acquiring.get(key) ?? Promise.resolve();
    const mine = previous.then(() => this.#acquireNow(key, options, policy, signal));
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
    options: ContextKeyOptions,
    policy: PoolPolicy,
    signal: AbortSignal | undefined,
  ): Promise<{ sequence: LlamaContextSequence; release: () => void }> {
    let pool = this.#pools.get(key);
    if (!pool) this.#pools.set(key, (pool = []));
    const taken = await this.#take(pool, options.prompt);
    let owner: PooledContext;
    let sequence: LlamaContextSequence;
    if (taken) ({ owner, sequence } = taken);
    else {
      let context: LlamaContext;
      try {
        context = await this.model.createContext({ contextSize: options.contextSize, threads: options.threads, sequences: policy.sequences, createSignal: signal });
      } catch (error) {
        throw mapLoadError(error, { path: this.info.path, name: `a ${options.contextSize}-token context for ${this.info.name}` }, signal);
      }
      owner = { context, free: [], cleaning: new Set(), leased: 1 };
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
        pooled.leased -= 1;
        this.lastUsed = Date.now();
        if (leased.disposed) return;
        pooled.free.push(leased);
        trim(pooled, policy.keep);
      },
    };
  }

  /**
   * A free sequence of the pool for `prompt` (see chooseSequence), leased to the caller, or null when
   * every sequence is out. One being cleared is waited for rather than erasing one that holds a cache.
   */
  async #take(pool: PooledContext[], prompt: readonly Token[] | undefined): Promise<{ owner: PooledContext; sequence: LlamaContextSequence } | null> {
    for (;;) {
      const owners = new Map<SequenceCandidate<LlamaContextSequence>, PooledContext>();
      for (const pooled of pool) {
        for (const sequence of pooled.free) owners.set({ sequence, tokens: sequence.contextTokens, busy: pooled.leased }, pooled);
        if (pooled.context.sequencesLeft > 0) owners.set({ sequence: null, tokens: [], busy: pooled.leased }, pooled);
      }
      const choice = chooseSequence([...owners.keys()], prompt);
      const cleaning = pool.flatMap((p) => [...p.cleaning]);
      if (!choice || (choice.kind === 'dirty' && cleaning.length > 0)) {
        if (cleaning.length === 0) return null;
        await Promise.race(cleaning);
        continue;
      }
      const owner = owners.get(choice.candidate)!;
      const sequence = choice.candidate.sequence ?? owner.context.getSequence();
      owner.free = owner.free.filter((s) => s !== sequence);
      owner.leased += 1;
      // Erased here, where it is quick, rather than by the generation after later leases began decoding.
      if ((choice.kind === 'partial' || (choice.kind === 'dirty' && choice.cheap)) && sequence.nextTokenIndex > choice.keep) {
        try {
          await sequence.eraseContextTokenRanges([{ start: choice.keep, end: sequence.nextTokenIndex }]);
        } catch {
          // A sequence that cannot be erased is not handed out again; its id returns to the context.
          owner.leased -= 1;
          void sequence.dispose();
          continue;
        }
      }
      return { owner, sequence };
    }
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

/** Clears the least recently released of `pooled`'s free sequences beyond the `keep` most recent that hold tokens. */
function trim(pooled: PooledContext, keep: number): void {
  const holding = pooled.free.filter((s) => s.nextTokenIndex > 0);
  for (const sequence of holding.slice(0, Math.max(0, holding.length - keep))) {
    pooled.free = pooled.free.filter((s) => s !== sequence);
    const cleared: Promise<void> = sequence
      .clearHistory()
      .then(
        () => void pooled.free.push(sequence),
        // A sequence that cannot be cleared is not handed out again; its id returns to the context.
        () => void sequence.dispose(),
      )
      .finally(() => pooled.cleaning.delete(cleared));
    pooled.cleaning.add(cleared);
  }
}
