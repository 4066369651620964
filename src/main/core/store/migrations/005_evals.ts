import type { Migration } from './index';

/**
 * Suites keep every saved version (immutable rows). A run stores its own suite snapshot, so
 * deleting a suite never breaks a run's results or its resume; cells are written one by one
 * as they finish, which is what makes resume after a crash possible.
 */
export const m005Evals: Migration = {
  version: 5,
  name: 'evals',
  sql: `
    CREATE TABLE eval_suites (
      id TEXT PRIMARY KEY NOT NULL,
      name TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE eval_suite_versions (
      suite_id TEXT NOT NULL REFERENCES eval_suites(id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      spec TEXT NOT NULL,
      message TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (suite_id, version)
    ) STRICT;

    CREATE TABLE eval_runs (
      id TEXT PRIMARY KEY NOT NULL,
      suite_id TEXT NOT NULL,
      suite_version INTEGER NOT NULL,
      suite_name TEXT NOT NULL,
      spec TEXT NOT NULL,
      models TEXT NOT NULL,
      repeat INTEGER NOT NULL,
      params TEXT NOT NULL,
      concurrency INTEGER,
      grader_model TEXT,
      embedding_model TEXT,
      run_card TEXT NOT NULL,
      status TEXT NOT NULL,
      total_cells INTEGER NOT NULL,
      error TEXT,
      created_at TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX eval_runs_suite ON eval_runs(suite_id, created_at);

    CREATE TABLE eval_cells (
      run_id TEXT NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
      case_id TEXT NOT NULL,
      model_id TEXT NOT NULL,
      repeat INTEGER NOT NULL,
      status TEXT NOT NULL,
      request TEXT NOT NULL,
      output TEXT NOT NULL,
      pass INTEGER NOT NULL,
      score REAL NOT NULL,
      assertions TEXT NOT NULL,
      metrics TEXT NOT NULL,
      error TEXT,
      finished_at TEXT NOT NULL,
      PRIMARY KEY (run_id, case_id, model_id, repeat)
    ) STRICT;
  `,
};
