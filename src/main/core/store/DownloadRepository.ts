import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { Store } from './Store';

export const DownloadRowSchema = z.object({
  id: z.string(),
  source: z.string(),
  url: z.string(),
  fileName: z.string(),
  partialPath: z.string(),
  status: z.enum(['downloading', 'paused', 'interrupted', 'verifying', 'completed', 'failed', 'cancelled']),
  receivedBytes: z.number(),
  totalBytes: z.number().nullable(),
  expectedSha256: z.string().nullable(),
  publishedSha256: z.string().nullable(),
  etag: z.string().nullable(),
  error: z.string().nullable(),
  modelId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DownloadRow = z.infer<typeof DownloadRowSchema>;

const COLUMNS: Record<keyof DownloadRow, string> = {
  id: 'id',
  source: 'source',
  url: 'url',
  fileName: 'file_name',
  partialPath: 'partial_path',
  status: 'status',
  receivedBytes: 'received_bytes',
  totalBytes: 'total_bytes',
  expectedSha256: 'expected_sha256',
  publishedSha256: 'published_sha256',
  etag: 'etag',
  error: 'error',
  modelId: 'model_id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const SELECT = `SELECT ${Object.entries(COLUMNS)
  .map(([key, column]) => `${column} AS ${key}`)
  .join(', ')} FROM downloads`;

/** Download state, persisted so a paused or interrupted download survives a restart. */
export class DownloadRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  list(): DownloadRow[] {
    const rows = this.#store.run(() => this.#store.db.prepare(`${SELECT} ORDER BY created_at, id`).all());
    return rows.map((row) => DownloadRowSchema.parse(row));
  }

  get(id: string): DownloadRow | null {
    const row = this.#store.run(() => this.#store.db.prepare(`${SELECT} WHERE id = ?`).get(id));
    return row === undefined ? null : DownloadRowSchema.parse(row);
  }

  insert(row: DownloadRow): void {
    const r = DownloadRowSchema.parse(row);
    const keys = Object.keys(COLUMNS) as Array<keyof DownloadRow>;
    this.#store.run(() =>
      this.#store.db
        .prepare(`INSERT INTO downloads (${keys.map((k) => COLUMNS[k]).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`)
        .run(...keys.map((k) => r[k])),
    );
  }

  update(id: string, patch: Partial<Omit<DownloadRow, 'id' | 'createdAt'>>): DownloadRow {
    const keys = Object.keys(patch) as Array<keyof typeof patch>;
    const withTime = { ...patch, updatedAt: new Date().toISOString() };
    const all = [...new Set([...keys, 'updatedAt' as const])];
    this.#store.run(() =>
      this.#store.db
        .prepare(`UPDATE downloads SET ${all.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`)
        .run(...all.map((k) => withTime[k] ?? null), id),
    );
    const row = this.get(id);
    if (!row) throw new AppError('NOT_FOUND', `Download "${id}" no longer exists.`, { id });
    return row;
  }

  delete(id: string): void {
    this.#store.run(() => this.#store.db.prepare('DELETE FROM downloads WHERE id = ?').run(id));
  }
}
