import type { Migration } from './index';

/**
 * Keys of the OpenAI-compatible API. Only the SHA-256 of a key is kept (the key is random, so a
 * plain digest cannot be reversed); a revoked key stays listed with its revocation time.
 */
export const m007ApiKeys: Migration = {
  version: 7,
  name: 'api_keys',
  sql: `
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      key_sha256 TEXT NOT NULL UNIQUE,
      last4 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at TEXT
    ) STRICT;
  `,
};
