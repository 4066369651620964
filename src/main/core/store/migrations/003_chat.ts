import type { Migration } from './index';

/**
 * Conversations and their messages as a tree: regenerate and edit add siblings under the same
 * parent, and `active_leaf_id` remembers which branch is shown. Soft delete (`deleted_at`) backs undo.
 */
export const m003Chat: Migration = {
  version: 3,
  name: 'chat',
  sql: `
    CREATE TABLE conversations (
      id TEXT PRIMARY KEY NOT NULL,
      title TEXT NOT NULL,
      model_ref TEXT,
      system_prompt TEXT NOT NULL DEFAULT '',
      params TEXT NOT NULL DEFAULT '{}',
      active_leaf_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      deleted_at TEXT
    ) STRICT;
    CREATE INDEX conversations_updated ON conversations (deleted_at, updated_at DESC);

    CREATE TABLE messages (
      id TEXT PRIMARY KEY NOT NULL,
      conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
      parent_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
      content TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('complete', 'streaming', 'stopped', 'error', 'interrupted')),
      model_ref TEXT,
      metrics TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX messages_conversation ON messages (conversation_id, created_at);
    CREATE INDEX messages_parent ON messages (parent_id);
  `,
};
