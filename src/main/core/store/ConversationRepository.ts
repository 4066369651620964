import { z } from 'zod';
import { ConversationParamsSchema, type Conversation, type ConversationParams, type ConversationSummary } from '../../../shared/contract/chat';
import { NotFoundError } from '../../../shared/errors';
import type { Store } from './Store';

const RowSchema = z.object({
  id: z.string(),
  title: z.string(),
  model_ref: z.string().nullable(),
  system_prompt: z.string(),
  params: z.string(),
  active_leaf_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  deleted_at: z.string().nullable(),
});

const SummaryRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  model_ref: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  snippet: z.string().nullable(),
});

function toConversation(row: unknown): Conversation {
  const r = RowSchema.parse(row);
  const params = ConversationParamsSchema.safeParse(JSON.parse(r.params));
  return {
    id: r.id,
    title: r.title,
    modelRef: r.model_ref,
    systemPrompt: r.system_prompt,
    // Parameters an older version stored in another shape fall back to defaults, not a crash.
    params: params.success ? params.data : {},
    activeLeafId: r.active_leaf_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface ConversationPatch {
  title?: string;
  modelRef?: string | null;
  systemPrompt?: string;
  params?: ConversationParams;
  activeLeafId?: string | null;
}

export class ConversationRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  insert(c: Conversation): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO conversations (id, title, model_ref, system_prompt, params, active_leaf_id, created_at, updated_at, deleted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
        )
        .run(c.id, c.title, c.modelRef, c.systemPrompt, JSON.stringify(c.params), c.activeLeafId, c.createdAt, c.updatedAt),
    );
  }

  /** A live (not deleted) conversation, or NotFoundError. `includeDeleted` for restore. */
  get(id: string, options: { includeDeleted?: boolean } = {}): Conversation {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT * FROM conversations WHERE id = ?').get(id));
    if (row === undefined) throw new NotFoundError('Conversation', id);
    const c = toConversation(row);
    if (c.deletedAt !== null && !options.includeDeleted) throw new NotFoundError('Conversation', id);
    return c;
  }

  update(id: string, patch: ConversationPatch, now: string): void {
    const columns: Array<[string, unknown]> = [
      ['updated_at', now],
      ['title', patch.title],
      ['model_ref', patch.modelRef],
      ['system_prompt', patch.systemPrompt],
      ['params', patch.params === undefined ? undefined : JSON.stringify(patch.params)],
      ['active_leaf_id', patch.activeLeafId],
    ];
    // Column names come from the list above, never from input; undefined means "leave as is".
    const present = columns.filter(([, value]) => value !== undefined);
    const sets = present.map(([column]) => `${column} = ?`);
    const values = present.map(([, value]) => value);
    const info = this.#store.run(() =>
      this.#store.db.prepare(`UPDATE conversations SET ${sets.join(', ')} WHERE id = ?`).run(...values, id),
    );
    if (info.changes === 0) throw new NotFoundError('Conversation', id);
  }

  setDeleted(id: string, deletedAt: string | null): void {
    const info = this.#store.run(() => this.#store.db.prepare('UPDATE conversations SET deleted_at = ? WHERE id = ?').run(deletedAt, id));
    if (info.changes === 0) throw new NotFoundError('Conversation', id);
  }

  /** Removes conversations deleted before `before` for good (their messages cascade). */
  purgeDeleted(before: string): number {
    return this.#store.repair(() => this.#store.db.prepare('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?').run(before).changes);
  }

  /** Live conversations, newest first; `query` matches the title or any message's content. */
  list(query?: string): ConversationSummary[] {
    const q = query?.trim();
    const rows = this.#store.run(() => {
      if (!q) {
        return this.#store.db
          .prepare('SELECT id, title, model_ref, created_at, updated_at, NULL AS snippet FROM conversations WHERE deleted_at IS NULL ORDER BY updated_at DESC LIMIT 500')
          .all();
      }
      const like = `%${escapeLike(q)}%`;
      return this.#store.db
        .prepare(
          `SELECT c.id, c.title, c.model_ref, c.created_at, c.updated_at,
             (SELECT substr(m.content, max(1, instr(lower(m.content), lower(?)) - 40), 120) FROM messages m
               WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\' LIMIT 1) AS snippet
           FROM conversations c
           WHERE c.deleted_at IS NULL AND (c.title LIKE ? ESCAPE '\\'
             OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\'))
           ORDER BY c.updated_at DESC LIMIT 500`,
        )
        .all(q, like, like, like);
    });
    return rows.map((row) => {
      const r = SummaryRowSchema.parse(row);
      return { id: r.id, title: r.title, modelRef: r.model_ref, createdAt: r.created_at, updatedAt: r.updated_at, snippet: r.snippet };
    });
  }
}
