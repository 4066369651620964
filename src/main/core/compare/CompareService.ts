import { randomInt, randomUUID } from 'node:crypto';
import {
  SLOT_LABELS,
  type CompareSession,
  type CompareSlotStatus,
  type CompareStartInput,
  type CompareSummary,
  type Leaderboard,
  type VoteChoice,
} from '../../../shared/contract/compare';
import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS, mergeParams } from '../../../shared/domain/generationDefaults';
import { afterToolResults, type ToolCall } from '../../../shared/domain/structured';
import { AppError, NotFoundError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { GenerationService } from '../generation/GenerationService';
import type { CompareRepository, CompareSlotRecord } from '../store/CompareRepository';
import { computeLeaderboard } from './BradleyTerry';
import { slotMetrics, toSessionView, toSummary } from './compareView';
import { settleWithin } from '../util/settleWithin';
import { consumeBatched } from '../generation/consumeBatched';

export interface CompareServiceOptions {
  generation: GenerationService;
  repo: CompareRepository;
  bus: EventBus;
  /** How often buffered text is sent to renderers; 16-33 ms keeps streaming smooth without an event per token. */
  flushIntervalMs?: number;
  /** How often a streaming answer's partial text is written to the database (crash safety). */
  saveIntervalMs?: number;
  /** Returns an integer in [0, max): the blind shuffle. Injected so tests can pin the order. */
  randomInt?: (max: number) => number;
}

interface RunningSlot {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Sends one prompt to 2-4 models at once through GenerationService, streams each answer to the
 * renderers in batches, persists the comparison and its vote, and computes the leaderboard.
 * Blind mode shuffles the slots; the slot → ref mapping never leaves main until the reveal.
 */
export class CompareService implements AsyncDisposable {
  readonly #generation: GenerationService;
  readonly #repo: CompareRepository;
  readonly #bus: EventBus;
  readonly #flushIntervalMs: number;
  readonly #saveIntervalMs: number;
  readonly #randomInt: (max: number) => number;
  readonly #running = new Map<string, Map<number, RunningSlot>>();
  #disposed = false;

  constructor(options: CompareServiceOptions) {
    this.#generation = options.generation;
    this.#repo = options.repo;
    this.#bus = options.bus;
    this.#flushIntervalMs = options.flushIntervalMs ?? 25;
    this.#saveIntervalMs = options.saveIntervalMs ?? 1000;
    this.#randomInt = options.randomInt ?? ((max) => randomInt(max));
  }

  /** Start-up work, called once by the composition root: comparisons a crash cut off. */
  start(): void {
    this.#repo.markInterrupted();
  }

  startSession(input: CompareStartInput): CompareSession {
    if (this.#disposed) throw new AppError('INTERNAL', 'Parity is shutting down; start the comparison again after it restarts.');
    const blind = input.blind ?? false;
    // Resolve every ref first: an unknown provider fails the whole request before anything is stored or sent.
    const destinations = input.refs.map((ref) => this.#generation.destination(ref));
    const order = input.refs.map((_, i) => i);
    if (blind) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = this.#randomInt(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    }
    const id = randomUUID();
    const params = mergeParams({ maxTokens: DEFAULT_MAX_TOKENS.compare }, input.params);
    const systemPrompt = input.systemPrompt?.trim() ? input.systemPrompt : null;
    const slots: CompareSlotRecord[] = order.map((requestedIndex, slot) => ({
      slot,
      ref: input.refs[requestedIndex]!,
      requestedIndex,
      destinationLocal: destinations[requestedIndex] === null,
      destinationHost: destinations[requestedIndex] ?? null,
      status: 'streaming',
      output: '',
      metrics: null,
    }));
    this.#repo.create({ id, createdAt: new Date().toISOString(), prompt: input.prompt, systemPrompt, params, blind, revealed: !blind }, slots);

    const messages: ChatMessage[] = [];
    if (systemPrompt) messages.push({ role: 'system', content: systemPrompt });
    messages.push({ role: 'user', content: input.prompt });
    for (const s of slots) this.#launch(id, s.slot, s.ref, messages, params, blind);
    return this.get(id);
  }

  #launch(id: string, slot: number, ref: string, messages: ChatMessage[], params: GenerationParams, blind: boolean, priorCalls?: ToolCall[]): void {
    let running = this.#running.get(id);
    if (!running) {
      running = new Map<number, RunningSlot>();
      this.#running.set(id, running);
    }
    const slots = running;
    const controller = new AbortController();
    const entry: RunningSlot = { controller, done: Promise.resolve() };
    slots.set(slot, entry);
    entry.done = this.#runSlot(id, slot, ref, messages, params, blind, controller.signal, priorCalls)
      .catch((error: unknown) => console.error('compare: slot failed outside the stream', id, slot, error))
      .finally(() => {
        slots.delete(slot);
        if (slots.size === 0 && this.#running.get(id) === slots) this.#running.delete(id);
      });
  }

  /**
   * Gives one answer's tool calls their results (typed by the user or from the tools' mock results;
   * nothing is run) and lets that model continue; its slot streams again. Not after the vote: the
   * answers judged are the answers kept.
   */
  answerTools(sessionId: string, slot: number, results: readonly unknown[]): CompareSession {
    const stored = this.#repo.get(sessionId);
    if (!stored) throw new NotFoundError('Comparison', sessionId);
    if (stored.vote) throw new AppError('CONFLICT', 'This comparison already has a vote; its answers stay as they were judged.', { sessionId });
    if (this.#running.get(sessionId)?.has(slot)) throw new AppError('CONFLICT', 'This answer is still being written.', { sessionId, slot });
    const s = stored.slots.find((x) => x.slot === slot);
    const calls = s?.metrics?.toolCalls ?? [];
    if (!s || calls.length === 0) throw new AppError('VALIDATION_FAILED', 'This answer made no tool calls to answer.', { sessionId, slot });
    if (results.length !== calls.length) throw new AppError('VALIDATION_FAILED', `Give one result per tool call: ${calls.length} expected, ${results.length} given.`, { field: 'results' });
    const answered = calls.map((c, i) => ({ ...c, result: results[i] ?? null }));
    const messages: ChatMessage[] = [];
    if (stored.session.systemPrompt) messages.push({ role: 'system', content: stored.session.systemPrompt });
    messages.push({ role: 'user', content: stored.session.prompt }, { role: 'assistant', content: s.output, toolCalls: answered });
    this.#repo.restartSlot(sessionId, slot);
    this.#launch(sessionId, slot, s.ref, messages, afterToolResults(stored.session.params), stored.session.blind && !stored.session.revealed, answered);
    return this.get(sessionId);
  }

  async #runSlot(
    sessionId: string,
    slot: number,
    ref: string,
    messages: ChatMessage[],
    params: GenerationParams,
    blind: boolean,
    signal: AbortSignal,
    /** Calls of an earlier round, answered: kept in front of this round's, so the slot shows the whole exchange. */
    priorCalls?: ToolCall[],
  ): Promise<void> {
    const started = performance.now();
    let savedAt = started;
    const consumed = await consumeBatched(this.#generation.stream(ref, messages, params, { signal }), {
      ref,
      signal,
      batchMs: this.#flushIntervalMs,
      immediateFirst: false,
      // A provider that throws before its first delta (bad key, offline, unknown model) ends this slot in error; the others go on.
      startedAt: started,
      onBatch: (chunk, { text, firstAt, deltas }) => {
        const now = performance.now();
        if (now - savedAt >= this.#saveIntervalMs) {
          savedAt = now;
          try {
            this.#repo.saveProgress(sessionId, slot, text);
          } catch (error) {
            // A failed interim save must not stop the stream; the final save reports its own failure.
            console.error('compare: could not save partial text', sessionId, slot, error);
          }
        }
        this.#bus.emit('compare.delta', { sessionId, slot, text: chunk, stats: { elapsedMs: now - started, ttftMs: firstAt - started, deltas } });
      },
    });
    const { text } = consumed;
    let { metrics } = consumed;
    if (priorCalls) metrics = { ...metrics, toolCalls: [...priorCalls, ...(metrics.toolCalls ?? [])] };
    const status: CompareSlotStatus = metrics.stopReason === 'aborted' ? 'stopped' : metrics.stopReason === 'error' ? 'error' : 'done';
    try {
      this.#repo.finishSlot(sessionId, slot, status, text, metrics);
    } catch (error) {
      console.error('compare: could not save slot', sessionId, slot, error);
    }
    // Read back: the session may have been revealed while this slot was still streaming.
    const stored = this.#repo.get(sessionId);
    const hidden = stored ? stored.session.blind && !stored.session.revealed : blind;
    const request = stored ? { params: stored.session.params, text } : undefined;
    this.#bus.emit('compare.done', { sessionId, slot, status, text, metrics: slotMetrics(metrics, hidden, request) });
  }

  /** Stops one slot or all; waits briefly so the returned view shows them stopped with their partial text. */
  async stop(sessionId: string, slot?: number): Promise<CompareSession> {
    const running = this.#running.get(sessionId);
    if (running) {
      const targets = slot === undefined ? [...running.values()] : running.has(slot) ? [running.get(slot)!] : [];
      for (const t of targets) t.controller.abort();
      await settleWithin(targets.map((t) => t.done), 3000);
    }
    return this.get(sessionId);
  }

  get(sessionId: string): CompareSession {
    const stored = this.#repo.get(sessionId);
    if (!stored) throw new NotFoundError('Comparison', sessionId);
    return toSessionView(stored);
  }

  list(options: { limit?: number; offset?: number } = {}): { items: CompareSummary[]; total: number } {
    const { items, total } = this.#repo.list(options.limit ?? 50, options.offset ?? 0);
    return { items: items.map((s) => toSummary(s)), total };
  }

  vote(sessionId: string, choice: VoteChoice): CompareSession {
    const view = this.get(sessionId);
    if (view.vote) throw new AppError('CONFLICT', 'This comparison already has a vote; start a new comparison to vote again.', { sessionId });
    if (view.status === 'running') throw new AppError('CONFLICT', 'Wait until every answer has finished (or stop them) before voting.', { sessionId });
    if (!view.canVote) {
      throw new AppError('CONFLICT', 'The names of this blind comparison were revealed before voting, so a vote would no longer be blind.', { sessionId });
    }
    const index = SLOT_LABELS.indexOf(choice as (typeof SLOT_LABELS)[number]);
    if (index >= view.slots.length) {
      throw new AppError('VALIDATION_FAILED', `There is no answer ${choice} in this comparison (it has ${view.slots.length}).`, { field: 'choice', choice });
    }
    this.#repo.vote({ id: randomUUID(), sessionId, choice, blind: view.blind, createdAt: new Date().toISOString() });
    return this.get(sessionId);
  }

  reveal(sessionId: string): CompareSession {
    const view = this.get(sessionId);
    if (!view.revealed) this.#repo.reveal(sessionId);
    return this.get(sessionId);
  }

  leaderboard(options: { blindOnly?: boolean; bootstrapSamples?: number } = {}): Leaderboard {
    const votes = this.#repo.votesWithRefs({ blindOnly: options.blindOnly });
    return computeLeaderboard(votes, { bootstrapSamples: options.bootstrapSamples ?? 200 });
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const all = [...this.#running.values()].flatMap((m) => [...m.values()]);
    for (const r of all) r.controller.abort();
    await settleWithin(all.map((r) => r.done), 5000);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
