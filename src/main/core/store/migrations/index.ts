/**
 * Numbered migrations, applied in order inside one transaction. Never edit one that has shipped:
 * add the next number. Each domain's tables come in their own migration.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

import { m001Init } from './001_init';

export const MIGRATIONS: readonly Migration[] = [m001Init];
