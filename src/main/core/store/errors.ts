import { AppError } from '../../../shared/errors';

export class StoreNewerSchemaError extends AppError {
  constructor(path: string, found: number, supported: number) {
    super(
      'STORE_NEWER_SCHEMA',
      `The database at ${path} was written by a newer version of Parity (schema ${found}; this version understands up to ${supported}). ` +
        'Update Parity, or start it with a different --data-dir. The file was left untouched.',
      { path, found, supported },
    );
    this.name = 'StoreNewerSchemaError';
  }
}

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

/**
 * Maps SQLite failures to errors a user can act on. The file is never deleted or overwritten
 * on any of these paths: a corrupt store may hold the only copy of someone's work.
 */
export function mapSqliteError(error: unknown, path: string): unknown {
  if (error instanceof AppError) return error;
  const code = typeof (error as SqliteLikeError)?.code === 'string' ? String((error as SqliteLikeError).code) : '';
  const cause = { cause: error };
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new AppError(
      'STORE_CORRUPT',
      `The database at ${path} is damaged or is not a Parity database. It was left untouched: move it aside (or restore a backup) and start Parity again, or use a different --data-dir.`,
      { path, sqliteCode: code },
      cause,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'STORE_LOCKED',
      `The database at ${path} is locked by another program. Close other copies of Parity using this data directory and try again.`,
      { path, sqliteCode: code },
      cause,
    );
  }
  if (code === 'SQLITE_FULL') {
    return new AppError('DISK_FULL', `The disk holding ${path} is full. Free some space and try again; nothing already saved was lost.`, { path }, cause);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new AppError(
      'STORE_READ_ONLY',
      `Parity cannot write to the database at ${path}. Check the folder's permissions and free space.`,
      { path, sqliteCode: code },
      cause,
    );
  }
  return error;
}
