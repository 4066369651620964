import type { Migration } from './index';

/**
 * What a model saw when it answered from document collections: the passages (with their ranks and
 * scores, copied, so the record stays true after a file is re-indexed or removed) and the final
 * prompt. One row per assistant message; deleting the conversation deletes its rows.
 */
export const m009DocRetrievals: Migration = {
  version: 9,
  name: 'doc_retrievals',
  sql: `
    CREATE TABLE doc_retrievals (
      message_id TEXT PRIMARY KEY NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
      conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      record TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX doc_retrievals_conversation ON doc_retrievals(conversation_id);
  `,
};
