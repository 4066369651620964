import { z } from 'zod';
import { MessageSchema, type Message, type MessageStatus } from '../../../shared/contract/chat';
import { GenerationMetricsSchema, type GenerationMetrics } from '../../../shared/domain/generation';
import { NotFoundError } from '../../../shared/errors';
import type { Store } from './Store';

const RowSchema = z.object({
  id: z.string(),
  conversation_id: z.string(),
  parent_id: z.string().nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  status: z.string(),
  model_ref: z.string().nullable(),
  metrics: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

function toMessage(row: unknown): Message {
  const r = RowSchema.parse(row);
  const metrics = r.metrics === null ? null : GenerationMetricsSchema.safeParse(JSON.parse(r.metrics));
  return MessageSchema.parse({
    id: r.id,
    conversationId: r.conversation_id,
    parentId: r.parent_id,
    role: r.role,
    content: r.content,
    status: r.status,
    modelRef: r.model_ref,
    metrics: metrics?.success ? metrics.data : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

export class MessageRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  insert(m: Message): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, model_ref, metrics, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.id, m.conversationId, m.parentId, m.role, m.content, m.status, m.modelRef, m.metrics ? JSON.stringify(m.metrics) : null, m.createdAt, m.updatedAt),
    );
  }

  get(id: string): Message {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT * FROM messages WHERE id = ?').get(id));
    if (row === undefined) throw new NotFoundError('Message', id);
    return toMessage(row);
  }

  /** Every message of a conversation (all branches), oldest first. */
  listByConversation(conversationId: string): Message[] {
    return this.#store
      .run(() => this.#store.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid').all(conversationId))
      .map(toMessage);
  }

  /** Saves streamed text so far; cheap enough to run every second during a generation. */
  updateContent(id: string, content: string, now: string): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE messages SET content = ?, updated_at = ? WHERE id = ?').run(content, now, id));
  }

  finish(id: string, content: string, status: MessageStatus, metrics: GenerationMetrics | null, now: string): void {
    this.#store.run(() =>
      this.#store.db
        .prepare('UPDATE messages SET content = ?, status = ?, metrics = ?, updated_at = ? WHERE id = ?')
        .run(content, status, metrics ? JSON.stringify(metrics) : null, now, id),
    );
  }

  /** A previous run died mid-answer: keep what was saved, marked as interrupted. */
  markInterrupted(now: string): number {
    return this.#store.repair(() => this.#store.db.prepare("UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'").run(now).changes);
  }
}
