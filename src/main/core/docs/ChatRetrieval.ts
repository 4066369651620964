import type { ChatCollections, CitedPassage, RetrievalRecord } from '../../../shared/contract/docs';
import type { ChatMessage } from '../../../shared/domain/generation';
import { isLocal, parse } from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import type { AuditRecord } from '../audit/AuditLog';
import type { EventBus } from '../events/EventBus';
import type { DocsChatRepository } from '../store/DocsChatRepository';
import type { DocsService } from './DocsService';
import { RRF_K } from './searchCollection';

export interface ChatRetrievalOptions {
  docs: DocsService;
  repo: DocsChatRepository;
  bus: EventBus;
  audit: { record(entry: AuditRecord): unknown };
  /** Passages per answer, over all attached collections. */
  k?: number;
  now?: () => string;
}

export interface AugmentInput {
  conversationId: string;
  messageId: string;
  modelRef: string;
  history: ChatMessage[];
  signal?: AbortSignal;
}

const INSTRUCTIONS =
  "Answer from the numbered passages of the user's documents below. Cite every passage you use by its number in square brackets, like [1]. " +
  'If the passages do not contain the answer, say so instead of guessing.';

/** Passages as they go into the prompt: each under its number, file and page or heading. */
export function passagesText(passages: readonly CitedPassage[]): string {
  return passages
    .map((p) => `[${p.n}] ${p.fileName}${p.page !== null ? `, page ${p.page}` : p.heading ? ` (${p.heading})` : ''}\n${p.text}`)
    .join('\n\n');
}

/**
 * Answers from document collections: the conversation's collections are searched with the
 * question, the passages go into the prompt as numbered sources, and what the model saw is kept
 * with the answer. Passages leave the device only for a remote model the user confirmed for this
 * conversation, and each such send is written to the audit log (chunk ids and bytes).
 */
export class ChatRetrieval {
  readonly #o: ChatRetrievalOptions;

  constructor(options: ChatRetrievalOptions) {
    this.#o = options;
  }

  get(conversationId: string): ChatCollections {
    return this.#o.repo.get(conversationId);
  }

  set(conversationId: string, names: readonly string[]): ChatCollections {
    const ids = names.map((name) => this.#o.docs.collection(name).id);
    this.#o.repo.set(conversationId, ids);
    return this.get(conversationId);
  }

  confirmRemote(conversationId: string): ChatCollections {
    if (this.get(conversationId).collections.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'Attach a collection to this conversation before allowing its passages to be sent.', { conversationId });
    }
    this.#o.repo.confirmRemote(conversationId, this.#now());
    return this.get(conversationId);
  }

  retrieval(messageId: string): RetrievalRecord | null {
    return this.#o.repo.retrieval(messageId);
  }

  /** The history to send instead of `history`: unchanged when no collection is attached. */
  async augment(input: AugmentInput): Promise<ChatMessage[]> {
    const attached = this.get(input.conversationId);
    if (attached.collections.length === 0) return input.history;
    const remote = !isLocal(input.modelRef);
    if (remote && attached.remoteConfirmedAt === null) {
      throw new AppError(
        'POLICY_BLOCKED',
        `This conversation answers from ${attached.collections.join(', ')}, and ${input.modelRef} runs off this device: its passages would be sent there. ` +
          'Allow that for this conversation first, or pick a local model. Nothing was sent.',
        { conversationId: input.conversationId, modelRef: input.modelRef, collections: attached.collections },
      );
    }
    const query = input.history.findLast((m) => m.role === 'user')?.content ?? '';
    const k = this.#o.k ?? 5;
    const { passages, mode, notes } = await this.#search(attached.collections, query, k, input.signal);
    const prompt = withSystem(input.history, contextText(attached.collections, passages));
    const record: RetrievalRecord = {
      messageId: input.messageId,
      conversationId: input.conversationId,
      collections: attached.collections,
      query,
      mode,
      k,
      passages,
      prompt,
      remote,
      note: notes.length > 0 ? notes.join(' ') : null,
      createdAt: this.#now(),
    };
    this.#o.repo.saveRetrieval(record);
    this.#o.bus.emit('docs.retrieved', record);
    if (remote) this.#audit(input.modelRef, passages, { conversationId: input.conversationId, messageId: input.messageId, collections: attached.collections });
    return prompt;
  }

  /**
   * The same context for a one-off prompt (`parity chat --collection`): the system text with the
   * numbered passages. A remote model needs `allowRemote`, the command line's explicit consent.
   */
  async context(input: { collections: readonly string[]; query: string; modelRef: string; allowRemote: boolean; k?: number; signal?: AbortSignal }) {
    const collections = input.collections.map((name) => this.#o.docs.collection(name).name);
    // The command line takes a bare library id or a .gguf path as a local model too.
    const remote = parse(input.modelRef).provider !== '' && !isLocal(input.modelRef);
    if (remote && !input.allowRemote) {
      throw new AppError(
        'POLICY_BLOCKED',
        `${input.modelRef} runs off this device: passages from ${collections.join(', ')} would be sent there. Add --send-documents to allow it, or use a local model. Nothing was sent.`,
        { modelRef: input.modelRef, collections },
      );
    }
    const k = input.k ?? this.#o.k ?? 5;
    const { passages, mode, notes } = await this.#search(collections, input.query, k, input.signal);
    if (remote) this.#audit(input.modelRef, passages, { collections });
    return { collections, system: contextText(collections, passages), passages, mode, k, remote, note: notes.length > 0 ? notes.join(' ') : null };
  }

  /** One row per prompt that carried passages to a remote model: which chunks, how many bytes. */
  #audit(modelRef: string, passages: readonly CitedPassage[], ids: Record<string, unknown>): void {
    this.#o.audit.record({
      provider: parse(modelRef).provider,
      host: 'document passages',
      model: modelRef,
      purpose: 'documents',
      // The passages were put in the prompt handed to that provider; the request itself has its own row.
      status: 'included',
      bytesSent: Buffer.byteLength(passagesText(passages)),
      promptText: JSON.stringify({ ...ids, chunkIds: passages.map((p) => p.chunkId) }),
    });
  }

  /**
   * Searches each collection and merges by reciprocal rank (scores from different collections and
   * modes are not comparable; ranks are), numbering the merged passages from 1.
   */
  async #search(collections: readonly string[], query: string, k: number, signal: AbortSignal | undefined) {
    const merged: Array<Omit<CitedPassage, 'n'> & { fused: number }> = [];
    const modes = new Set<RetrievalRecord['mode']>();
    const notes: string[] = [];
    for (const name of collections) {
      const result = await this.#o.docs.search(name, query, { k, mode: 'hybrid', signal });
      modes.add(result.mode);
      if (result.note) notes.push(result.note);
      result.hits.forEach((hit, i) => merged.push({ ...hit, collection: result.collection, fused: 1 / (RRF_K + i + 1) }));
    }
    merged.sort((a, b) => b.fused - a.fused);
    const passages: CitedPassage[] = merged.slice(0, k).map(({ fused: _fused, ...hit }, i) => ({ ...hit, n: i + 1 }));
    return { passages, mode: modes.has('hybrid') ? ('hybrid' as const) : ('keyword' as const), notes };
  }

  #now(): string {
    return this.#o.now ? this.#o.now() : new Date().toISOString();
  }
}

function contextText(collections: readonly string[], passages: readonly CitedPassage[]): string {
  return passages.length > 0
    ? `${INSTRUCTIONS}\n\n${passagesText(passages)}`
    : `No passage in ${collections.join(', ')} matched the question; say that the documents do not answer it.`;
}

function withSystem(history: readonly ChatMessage[], context: string): ChatMessage[] {
  const first = history[0];
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${context}` }, ...history.slice(1)];
  return [{ role: 'system', content: context }, ...history];
}
