import { randomInt, randomUUID } from 'node:crypto';
import type { Conversation, ConversationParams, ConversationSummary, ConversationView, Message, MessageStatus } from '../../../shared/contract/chat';
import type { ChatMessage } from '../../../shared/domain/generation';
import { MAX_SEED, chatFillSampling, chatParams } from '../../../shared/domain/generationDefaults';
import { afterToolResults } from '../../../shared/domain/structured';
import { AppError } from '../../../shared/errors';
import type { EventBus } from '../events/EventBus';
import type { GenerationService } from '../generation/GenerationService';
import type { ConversationPatch, ConversationRepository } from '../store/ConversationRepository';
import type { MessageRepository } from '../store/MessageRepository';
import { annotatePath, deepestLeaf, pathTo } from './chatTree';
import { consumeBatched } from '../generation/consumeBatched';

export interface ChatServiceOptions {
  conversations: ConversationRepository;
  messages: MessageRepository;
  generation: GenerationService;
  bus: EventBus;
  /** Runs `fn` in one database transaction (the store's): the writes of one turn commit together or not at all. */
  transaction: <T>(fn: () => T) => T;
  /** Adds passages from the conversation's document collections to the prompt (absent: history as is). */
  retrieval?: { augment(input: { conversationId: string; messageId: string; modelRef: string; history: ChatMessage[]; signal?: AbortSignal }): Promise<ChatMessage[]> };
  /** How long deltas are gathered before one `chat.delta` event (16-33 ms keeps 30-60 fps). */
  batchMs?: number;
  /** How often streamed text is saved, so a crash loses at most this much. */
  persistEveryMs?: number;
  /** Deleted conversations older than this are purged by `start()`. */
  purgeAfterMs?: number;
  now?: () => Date;
}

interface ActiveGeneration {
  controller: AbortController;
  messageId: string;
  done: Promise<void>;
}

interface PlacedAnswer {
  messageId: string;
  ref: string;
  history: ChatMessage[];
}

/** How an answer is started. */
export interface AnswerOptions {
  /** The user confirmed sending what a `warn` rule of the data policy found (asked once per message). */
  confirmPolicy?: boolean;
}

export interface SendResult {
  userMessageId: string | null;
  assistantMessageId: string;
}

const DEFAULT_TITLE = 'New conversation';

/**
 * Conversations as message trees. Every answer is generated through GenerationService (so
 * cloud providers plug in the same way), streamed to renderers in batches and saved as it goes.
 */
export class ChatService implements AsyncDisposable {
  readonly #conversations: ConversationRepository;
  readonly #messages: MessageRepository;
  readonly #generation: GenerationService;
  readonly #bus: EventBus;
  readonly #transaction: <T>(fn: () => T) => T;
  readonly #retrieval: ChatServiceOptions['retrieval'];
  readonly #batchMs: number;
  readonly #persistEveryMs: number;
  readonly #now: () => Date;
  readonly #purgeAfterMs: number;
  readonly #active = new Map<string, ActiveGeneration>();

  constructor(options: ChatServiceOptions) {
    this.#conversations = options.conversations;
    this.#messages = options.messages;
    this.#generation = options.generation;
    this.#bus = options.bus;
    this.#transaction = options.transaction;
    this.#retrieval = options.retrieval;
    this.#batchMs = options.batchMs ?? 24;
    this.#persistEveryMs = options.persistEveryMs ?? 1000;
    this.#now = options.now ?? (() => new Date());
    this.#purgeAfterMs = options.purgeAfterMs ?? 24 * 3600_000;
  }

  /** Start-up work, called once by the composition root: answers a crash cut off, and the bin's old contents. */
  start(): void {
    const now = this.#now();
    this.#messages.markInterrupted(now.toISOString());
    this.#conversations.purgeDeleted(new Date(now.getTime() - this.#purgeAfterMs).toISOString());
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  list(query?: string): ConversationSummary[] {
    return this.#conversations.list(query);
  }

  get(id: string): ConversationView {
    const conversation = this.#conversations.get(id);
    const all = this.#messages.listByConversation(id);
    return { conversation, path: annotatePath(all, conversation.activeLeafId), generating: this.#active.has(id) };
  }

  create(input: { title?: string; modelRef?: string | null; systemPrompt?: string; params?: ConversationParams } = {}): Conversation {
    const now = this.#iso();
    const conversation: Conversation = {
      id: randomUUID(),
      title: input.title?.trim() || DEFAULT_TITLE,
      modelRef: input.modelRef ?? null,
      systemPrompt: input.systemPrompt ?? '',
      params: input.params ?? {},
      activeLeafId: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    this.#conversations.insert(conversation);
    this.#changed(conversation.id);
    return conversation;
  }

  rename(id: string, title: string): Conversation {
    return this.update(id, { title: title.trim() });
  }

  update(id: string, patch: Omit<ConversationPatch, 'activeLeafId'>): Conversation {
    this.#conversations.get(id);
    this.#conversations.update(id, patch, this.#iso());
    this.#changed(id);
    return this.#conversations.get(id);
  }

  /** Soft delete: `restore` brings it back until it is purged. A running answer is stopped. */
  delete(id: string): { id: string; deletedAt: string } {
    this.#conversations.get(id);
    this.stop(id);
    const deletedAt = this.#iso();
    this.#conversations.setDeleted(id, deletedAt);
    this.#changed(id);
    return { id, deletedAt };
  }

  restore(id: string): Conversation {
    this.#conversations.get(id, { includeDeleted: true });
    this.#conversations.setDeleted(id, null);
    this.#changed(id);
    return this.#conversations.get(id);
  }

  /**
   * Adds the user's message after the shown branch and starts the answer; returns at once. The
   * user's message, the title, the answer's row and the shown leaf are one transaction: a failure
   * (no model chosen, a full disk) leaves the conversation as it was, never a question without
   * its answer's row. The answer is stored as an empty 'streaming' placeholder in that same
   * transaction, so the tree and the shown leaf are whole from the start; its text is saved as it
   * streams and finished in one write, and a crash leaves a row that start() marks interrupted.
   */
  send(conversationId: string, text: string, options: AnswerOptions = {}): SendResult {
    const conversation = this.#conversations.get(conversationId);
    this.#assertIdle(conversationId);
    const { user, answer } = this.#transaction(() => {
      const user = this.#newMessage(conversationId, conversation.activeLeafId, 'user', text);
      if (conversation.title === DEFAULT_TITLE) {
        this.#conversations.update(conversationId, { title: text.replace(/\s+/g, ' ').trim().slice(0, 60) || DEFAULT_TITLE }, this.#iso());
      }
      return { user, answer: this.#placeAnswer(conversation, user.id) };
    });
    return { userMessageId: user.id, assistantMessageId: this.#startAnswer(conversation, answer, options) };
  }

  /** A new answer to the same user message, as a sibling of `messageId`. */
  regenerate(conversationId: string, messageId: string, options: AnswerOptions = {}): SendResult {
    const conversation = this.#conversations.get(conversationId);
    this.#assertIdle(conversationId);
    const message = this.#messageIn(conversationId, messageId);
    const parentId = message.role === 'assistant' ? message.parentId : message.id;
    if (parentId === null) throw new AppError('VALIDATION_FAILED', 'This message has no question to answer again.', { messageId });
    const answer = this.#transaction(() => this.#placeAnswer(conversation, parentId));
    return { userMessageId: null, assistantMessageId: this.#startAnswer(conversation, answer, options) };
  }

  /** Edit-and-resend: a new user message beside the old one (a branch), then its answer. */
  edit(conversationId: string, messageId: string, text: string): SendResult {
    const conversation = this.#conversations.get(conversationId);
    this.#assertIdle(conversationId);
    const original = this.#messageIn(conversationId, messageId);
    if (original.role !== 'user') throw new AppError('VALIDATION_FAILED', 'Only your own messages can be edited; regenerate an answer instead.', { messageId });
    const { user, answer } = this.#transaction(() => {
      const user = this.#newMessage(conversationId, original.parentId, 'user', text);
      return { user, answer: this.#placeAnswer(conversation, user.id) };
    });
    return { userMessageId: user.id, assistantMessageId: this.#startAnswer(conversation, answer) };
  }

  /**
   * Gives the model the results of an answer's tool calls, one per call (typed by the user or taken
   * from the tools' mock results: Parity runs nothing), and continues: the next answer is a child of
   * the answer that made the calls, so the tree keeps both and Regenerate works on the new one.
   */
  answerTools(conversationId: string, messageId: string, results: readonly unknown[]): SendResult {
    const conversation = this.#conversations.get(conversationId);
    this.#assertIdle(conversationId);
    const message = this.#messageIn(conversationId, messageId);
    const calls = message.metrics?.toolCalls ?? [];
    if (message.role !== 'assistant' || !message.metrics || calls.length === 0) throw new AppError('VALIDATION_FAILED', 'This answer made no tool calls to answer.', { messageId });
    if (results.length !== calls.length) throw new AppError('VALIDATION_FAILED', `Give one result per tool call: ${calls.length} expected, ${results.length} given.`, { field: 'results' });
    const metrics = { ...message.metrics, toolCalls: calls.map((c, i) => ({ ...c, result: results[i] ?? null })) };
    const answer = this.#transaction(() => {
      this.#messages.finish(message.id, message.content, message.status, metrics, this.#iso());
      return this.#placeAnswer(conversation, message.id);
    });
    return { userMessageId: null, assistantMessageId: this.#startAnswer(conversation, answer) };
  }

  stop(conversationId: string): { stopped: boolean } {
    const active = this.#active.get(conversationId);
    if (!active) return { stopped: false };
    active.controller.abort();
    return { stopped: true };
  }

  switchBranch(conversationId: string, messageId: string): ConversationView {
    this.#conversations.get(conversationId);
    this.#messageIn(conversationId, messageId);
    const leaf = deepestLeaf(this.#messages.listByConversation(conversationId), messageId);
    this.#conversations.update(conversationId, { activeLeafId: leaf }, this.#iso());
    return this.get(conversationId);
  }

  /** Resolves when the conversation's current answer (if any) has finished and been saved. */
  async waitForIdle(conversationId: string): Promise<void> {
    await this.#active.get(conversationId)?.done;
  }

  #assertIdle(conversationId: string): void {
    if (this.#active.has(conversationId)) {
      throw new AppError('CONFLICT', 'An answer is still being written in this conversation. Stop it or wait for it to finish.', { conversationId });
    }
  }

  #messageIn(conversationId: string, messageId: string): Message {
    const message = this.#messages.get(messageId);
    if (message.conversationId !== conversationId) throw new AppError('NOT_FOUND', `Message "${messageId}" is not part of this conversation.`, { messageId, conversationId });
    return message;
  }

  #newMessage(conversationId: string, parentId: string | null, role: Message['role'], content: string, status: MessageStatus = 'complete', modelRef: string | null = null): Message {
    const now = this.#iso();
    const message: Message = { id: randomUUID(), conversationId, parentId, role, content, status, modelRef, metrics: null, createdAt: now, updatedAt: now };
    this.#messages.insert(message);
    return message;
  }

  /** Writes the answer's placeholder under `parentId` and makes it the shown leaf; called inside the turn's transaction. */
  #placeAnswer(conversation: Conversation, parentId: string): PlacedAnswer {
    const ref = conversation.modelRef;
    if (!ref) throw new AppError('VALIDATION_FAILED', 'Pick a model for this conversation first.', { field: 'modelRef' });
    const all = this.#messages.listByConversation(conversation.id);
    const history = this.#history(conversation, pathTo(all, parentId));
    const assistant = this.#newMessage(conversation.id, parentId, 'assistant', '', 'streaming', ref);
    this.#conversations.update(conversation.id, { activeLeafId: assistant.id }, this.#iso());
    return { messageId: assistant.id, ref, history };
  }

  /** Streams into a placed answer once its transaction has committed. */
  #startAnswer(conversation: Conversation, answer: PlacedAnswer, options: AnswerOptions = {}): string {
    const controller = new AbortController();
    const entry: ActiveGeneration = { controller, messageId: answer.messageId, done: Promise.resolve() };
    this.#active.set(conversation.id, entry);
    entry.done = this.#run(conversation, answer.messageId, answer.ref, answer.history, controller.signal, options).finally(() => {
      if (this.#active.get(conversation.id) === entry) this.#active.delete(conversation.id);
    });
    this.#changed(conversation.id);
    return answer.messageId;
  }

  #history(conversation: Conversation, path: readonly Message[]): ChatMessage[] {
    const history: ChatMessage[] = [];
    if (conversation.systemPrompt.trim()) history.push({ role: 'system', content: conversation.systemPrompt });
    for (const m of path) {
      // Tool calls go back to the model only once answered: an unanswered call is a question left open.
      const calls = m.role === 'assistant' ? (m.metrics?.toolCalls ?? []) : [];
      const answered = calls.length > 0 && calls.every((c) => c.result !== undefined) ? calls.map((c) => ({ ...c, result: c.result })) : null;
      // A failed answer with nothing in it would only confuse the model.
      if (m.role === 'assistant' && m.content.length === 0 && !answered) continue;
      history.push(answered ? { role: m.role, content: m.content, toolCalls: answered } : { role: m.role, content: m.content });
    }
    return history;
  }

  async #run(conversation: Conversation, messageId: string, ref: string, history: ChatMessage[], signal: AbortSignal, options: AnswerOptions = {}): Promise<void> {
    const conversationId = conversation.id;
    const started = performance.now();
    let lastSave = started;
    const fillSampling = chatFillSampling(randomInt(0, MAX_SEED));
    // Answering tool results: a forced tool choice is relaxed, so the model can answer with them.
    const params = history.at(-1)?.toolCalls?.length ? afterToolResults(chatParams(conversation.params)) : chatParams(conversation.params);
    // A warn rule asks first (POLICY_CONFIRM ends this answer with the question); confirming regenerates it and sends.
    const generate = (messages: ChatMessage[]) => this.#generation.stream(ref, messages, params, { signal, fillSampling, confirmWarnings: options.confirmPolicy !== true });
    const retrieval = this.#retrieval;
    // Retrieval runs inside the stream, so a refusal (e.g. an unconfirmed remote model) ends the answer like any generation error.
    const stream = retrieval
      ? (async function* () {
          yield* generate(await retrieval.augment({ conversationId, messageId, modelRef: ref, history, signal }));
        })()
      : generate(history);
    const { text, metrics: final } = await consumeBatched(stream, {
      ref,
      signal,
      batchMs: this.#batchMs,
      immediateFirst: true,
      onBatch: (chunk, progress) => {
        // Saved as it streams, so a crash mid-answer loses at most this interval.
        const t = performance.now();
        if (t - lastSave >= this.#persistEveryMs) {
          lastSave = t;
          this.#messages.updateContent(messageId, progress.text, this.#iso());
        }
        this.#bus.emit('chat.delta', { conversationId, messageId, text: chunk, stats: { elapsedMs: t - started, ttftMs: progress.firstAt - started, deltas: progress.deltas } });
      },
    });
    const status: MessageStatus = final.stopReason === 'aborted' ? 'stopped' : final.stopReason === 'error' ? 'error' : 'complete';
    try {
      this.#messages.finish(messageId, text, status, final, this.#iso());
      this.#conversations.update(conversationId, {}, this.#iso());
    } catch (error) {
      // The conversation may have been purged meanwhile; the answer has nowhere to go.
      console.error('chat: could not save the answer:', error);
    }
    this.#bus.emit('chat.done', { conversationId, messageId, text, status, metrics: final });
    this.#changed(conversationId);
  }

  #changed(id: string): void {
    this.#bus.emit('chat.conversations.changed', { id });
  }

  async dispose(): Promise<void> {
    for (const active of this.#active.values()) active.controller.abort();
    await Promise.allSettled([...this.#active.values()].map((a) => a.done));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
