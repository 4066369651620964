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
import { m002Models } from './002_models';
import { m005Evals } from './005_evals';
import { m003Chat } from './003_chat';
import { m004Providers } from './004_providers';
import { m006Compare } from './006_compare';
import { m007ApiKeys } from './007_api_keys';
import { m008Documents } from './008_documents';
import { m009DocRetrievals } from './009_doc_retrievals';

export const MIGRATIONS: readonly Migration[] = [m001Init, m002Models, m003Chat, m004Providers, m005Evals, m006Compare, m007ApiKeys, m008Documents, m009DocRetrievals];
