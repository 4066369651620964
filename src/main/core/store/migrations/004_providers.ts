import type { Migration } from './index';

/**
 * Providers, encrypted keys, price overrides and the append-only egress audit log.
 * The audit triggers make UPDATE and DELETE fail at the SQLite level, so no code path can edit
 * history; the hash chain additionally lets a reviewer detect edits made with the triggers dropped.
 */
export const m004Providers: Migration = {
  version: 4,
  name: 'providers',
  sql: `
    CREATE TABLE provider_settings (
      provider TEXT PRIMARY KEY NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1,
      base_url TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE provider_endpoints (
      name TEXT PRIMARY KEY NOT NULL,
      base_url TEXT NOT NULL,
      models TEXT NOT NULL DEFAULT '[]',
      preset TEXT,
      created_at TEXT NOT NULL
    ) STRICT;

    -- Ciphertext only: the plain key never reaches SQLite.
    CREATE TABLE secrets (
      name TEXT PRIMARY KEY NOT NULL,
      ciphertext BLOB NOT NULL,
      last4 TEXT NOT NULL,
      protection TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE price_overrides (
      model TEXT PRIMARY KEY NOT NULL,
      input_per_mtok REAL NOT NULL,
      output_per_mtok REAL NOT NULL,
      cached_input_per_mtok REAL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      time TEXT NOT NULL,
      provider TEXT NOT NULL,
      host TEXT NOT NULL,
      model TEXT,
      purpose TEXT NOT NULL,
      input_tokens INTEGER,
      output_tokens INTEGER,
      bytes_sent INTEGER NOT NULL,
      bytes_received INTEGER NOT NULL,
      status TEXT NOT NULL,
      http_status INTEGER,
      request_id TEXT,
      prompt_text TEXT,
      response_text TEXT,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
};
