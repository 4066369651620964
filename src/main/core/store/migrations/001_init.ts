import type { Migration } from './index';

export const m001Init: Migration = {
  version: 1,
  name: 'init',
  sql: `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY NOT NULL,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
  `,
};
