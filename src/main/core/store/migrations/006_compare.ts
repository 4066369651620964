import type { Migration } from './index';

/**
 * Compare sessions, their slots (in display order: for blind sessions the shuffled order, so the
 * slot → ref mapping lives only here) and one vote per session. The leaderboard is computed from
 * these rows, never stored.
 */
export const m006Compare: Migration = {
  version: 6,
  name: 'compare',
  sql: `
    CREATE TABLE compare_sessions (
      id TEXT PRIMARY KEY NOT NULL,
      created_at TEXT NOT NULL,
      prompt TEXT NOT NULL,
      system_prompt TEXT,
      params TEXT NOT NULL,
      blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
      revealed INTEGER NOT NULL CHECK (revealed IN (0, 1))
    ) STRICT;
    CREATE INDEX compare_sessions_created ON compare_sessions (created_at);

    CREATE TABLE compare_slots (
      session_id TEXT NOT NULL REFERENCES compare_sessions (id) ON DELETE CASCADE,
      slot INTEGER NOT NULL,
      ref TEXT NOT NULL,
      requested_index INTEGER NOT NULL,
      destination_host TEXT,
      destination_local INTEGER NOT NULL CHECK (destination_local IN (0, 1)),
      status TEXT NOT NULL,
      output TEXT NOT NULL DEFAULT '',
      metrics TEXT,
      PRIMARY KEY (session_id, slot)
    ) STRICT;

    CREATE TABLE compare_votes (
      id TEXT PRIMARY KEY NOT NULL,
      session_id TEXT NOT NULL UNIQUE REFERENCES compare_sessions (id) ON DELETE CASCADE,
      choice TEXT NOT NULL,
      blind INTEGER NOT NULL CHECK (blind IN (0, 1)),
      created_at TEXT NOT NULL
    ) STRICT;
  `,
};
