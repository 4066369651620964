import { z } from 'zod';
import { RetrievalRecordSchema, type ChatCollections, type RetrievalRecord } from '../../../shared/contract/docs';
import { NotFoundError } from '../../../shared/errors';
import type { Store } from './Store';

const AttachedRowSchema = z.object({ name: z.string(), remote_confirmed_at: z.string().nullable() });

/** Which collections a conversation answers from, and what each answer's model saw. */
export class DocsChatRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get(conversationId: string): ChatCollections {
    const rows = this.#store
      .run(() =>
        this.#store.db
          .prepare(
            `SELECT c.name, cc.remote_confirmed_at FROM conversation_collections cc JOIN doc_collections c ON c.id = cc.collection_id
             WHERE cc.conversation_id = ? ORDER BY c.name COLLATE NOCASE`,
          )
          .all(conversationId),
      )
      .map((r) => AttachedRowSchema.parse(r));
    return { conversationId, collections: rows.map((r) => r.name), remoteConfirmedAt: rows[0]?.remote_confirmed_at ?? null };
  }

  /** Replaces the conversation's collections; a consent already given stays with the conversation. */
  set(conversationId: string, collectionIds: readonly number[]): void {
    this.#store.transaction(() => {
      if (this.#store.db.prepare('SELECT 1 FROM conversations WHERE id = ? AND deleted_at IS NULL').get(conversationId) === undefined) {
        throw new NotFoundError('Conversation', conversationId);
      }
      const confirmed = this.get(conversationId).remoteConfirmedAt;
      this.#store.db.prepare('DELETE FROM conversation_collections WHERE conversation_id = ?').run(conversationId);
      const insert = this.#store.db.prepare('INSERT INTO conversation_collections (conversation_id, collection_id, remote_confirmed_at) VALUES (?, ?, ?)');
      for (const id of new Set(collectionIds)) insert.run(conversationId, id, confirmed);
    });
  }

  confirmRemote(conversationId: string, at: string): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE conversation_collections SET remote_confirmed_at = ? WHERE conversation_id = ?').run(at, conversationId));
  }

  saveRetrieval(record: RetrievalRecord): void {
    this.#store.run(() =>
      this.#store.db
        .prepare('INSERT OR REPLACE INTO doc_retrievals (message_id, conversation_id, record, created_at) VALUES (?, ?, ?, ?)')
        .run(record.messageId, record.conversationId, JSON.stringify(record), record.createdAt),
    );
  }

  retrieval(messageId: string): RetrievalRecord | null {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT record FROM doc_retrievals WHERE message_id = ?').pluck().get(messageId));
    return row === undefined ? null : RetrievalRecordSchema.parse(JSON.parse(z.string().parse(row)));
  }
}
