import type { Migration } from './index';

/**
 * Document collections for retrieval. Chunks keep their source (page or heading, character span in
 * the file's extracted text); doc_chunks_fts is an external-content FTS5 index kept in step by
 * triggers, so a cascade from a removed document or collection cleans it too. Vectors live in one
 * sqlite-vec table per collection (created when its first chunk is embedded, since vec0 fixes the
 * dimension and each embedding model has its own), so they are not declared here.
 */
export const m008Documents: Migration = {
  version: 8,
  name: 'documents',
  sql: `
    CREATE TABLE doc_collections (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE COLLATE NOCASE,
      embedding_model TEXT,
      embedding_dims INTEGER,
      chunk_size INTEGER NOT NULL,
      chunk_overlap INTEGER NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE doc_documents (
      id INTEGER PRIMARY KEY,
      collection_id INTEGER NOT NULL REFERENCES doc_collections(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT,
      status TEXT NOT NULL CHECK (status IN ('queued', 'parsing', 'embedding', 'ready', 'failed')),
      reason TEXT,
      pages INTEGER,
      chunks INTEGER NOT NULL DEFAULT 0,
      added_at TEXT NOT NULL,
      indexed_at TEXT,
      UNIQUE (collection_id, path)
    ) STRICT;

    CREATE TABLE doc_chunks (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES doc_documents(id) ON DELETE CASCADE,
      collection_id INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      page INTEGER,
      heading TEXT,
      char_start INTEGER NOT NULL,
      char_end INTEGER NOT NULL,
      text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX doc_chunks_document ON doc_chunks(document_id, seq);
    CREATE INDEX doc_chunks_collection ON doc_chunks(collection_id);

    CREATE VIRTUAL TABLE doc_chunks_fts USING fts5(
      text, content = 'doc_chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER doc_chunks_ai AFTER INSERT ON doc_chunks BEGIN
      INSERT INTO doc_chunks_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER doc_chunks_ad AFTER DELETE ON doc_chunks BEGIN
      INSERT INTO doc_chunks_fts (doc_chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;

    -- Collections a conversation answers from. Sending their passages to a remote model needs a
    -- confirmation per conversation, recorded on each of its rows.
    CREATE TABLE conversation_collections (
      conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      collection_id INTEGER NOT NULL REFERENCES doc_collections(id) ON DELETE CASCADE,
      remote_confirmed_at TEXT,
      PRIMARY KEY (conversation_id, collection_id)
    ) STRICT;
  `,
};
