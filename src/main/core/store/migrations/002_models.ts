import type { Migration } from './index';

/** The local model library and the downloads that feed it (resumable across restarts). */
export const m002Models: Migration = {
  version: 2,
  name: 'models',
  sql: `
    CREATE TABLE models (
      id TEXT PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      file_name TEXT NOT NULL,
      path TEXT NOT NULL UNIQUE,
      source_path TEXT,
      storage TEXT NOT NULL CHECK (storage IN ('copy', 'link')),
      size_bytes INTEGER NOT NULL,
      architecture TEXT,
      parameter_count INTEGER,
      quantization TEXT,
      train_context_size INTEGER,
      has_chat_template INTEGER NOT NULL,
      license TEXT,
      general_name TEXT,
      sha256 TEXT,
      hash_state TEXT NOT NULL CHECK (hash_state IN ('pending', 'hashing', 'done', 'failed')),
      source_url TEXT,
      added_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX models_sha256 ON models (sha256);
    CREATE INDEX models_source_path ON models (source_path);

    CREATE TABLE downloads (
      id TEXT PRIMARY KEY NOT NULL,
      source TEXT NOT NULL,
      url TEXT NOT NULL,
      file_name TEXT NOT NULL,
      partial_path TEXT NOT NULL,
      status TEXT NOT NULL,
      received_bytes INTEGER NOT NULL DEFAULT 0,
      total_bytes INTEGER,
      expected_sha256 TEXT,
      published_sha256 TEXT,
      etag TEXT,
      error TEXT,
      model_id TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
