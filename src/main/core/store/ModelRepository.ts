import { z } from 'zod';
import type { Store } from './Store';

const HashState = z.enum(['pending', 'hashing', 'done', 'failed']);

export const ModelRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  fileName: z.string(),
  path: z.string(),
  sourcePath: z.string().nullable(),
  storage: z.enum(['copy', 'link']),
  sizeBytes: z.number(),
  architecture: z.string().nullable(),
  parameterCount: z.number().nullable(),
  quantization: z.string().nullable(),
  trainContextSize: z.number().nullable(),
  hasChatTemplate: z.union([z.boolean(), z.number()]).transform((v) => Boolean(v)),
  license: z.string().nullable(),
  generalName: z.string().nullable(),
  sha256: z.string().nullable(),
  hashState: HashState,
  sourceUrl: z.string().nullable(),
  addedAt: z.string(),
});
export type ModelRow = z.infer<typeof ModelRowSchema>;
export type ModelRowInput = z.input<typeof ModelRowSchema>;

const SELECT = `SELECT id, name, file_name AS fileName, path, source_path AS sourcePath, storage, size_bytes AS sizeBytes,
  architecture, parameter_count AS parameterCount, quantization, train_context_size AS trainContextSize,
  has_chat_template AS hasChatTemplate, license, general_name AS generalName, sha256, hash_state AS hashState,
  source_url AS sourceUrl, added_at AS addedAt FROM models`;

/** Rows of the local model library. */
export class ModelRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  list(): ModelRow[] {
    const rows = this.#store.run(() => this.#store.db.prepare(`${SELECT} ORDER BY added_at, id`).all());
    return rows.map((row) => ModelRowSchema.parse(row));
  }

  get(id: string): ModelRow | null {
    return this.#one(`${SELECT} WHERE id = ?`, id);
  }

  /** A model already registered for this file, whether as its library path or as the file it was copied from. */
  findByFile(path: string): ModelRow | null {
    return this.#one(`${SELECT} WHERE path = ? OR source_path = ? ORDER BY added_at LIMIT 1`, path, path);
  }

  findBySha256(sha256: string): ModelRow | null {
    return this.#one(`${SELECT} WHERE sha256 = ? ORDER BY added_at LIMIT 1`, sha256);
  }

  insert(row: ModelRowInput): ModelRow {
    const r = ModelRowSchema.parse(row);
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO models (id, name, file_name, path, source_path, storage, size_bytes, architecture, parameter_count,
             quantization, train_context_size, has_chat_template, license, general_name, sha256, hash_state, source_url, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.id, r.name, r.fileName, r.path, r.sourcePath, r.storage, r.sizeBytes, r.architecture, r.parameterCount,
          r.quantization, r.trainContextSize, r.hasChatTemplate ? 1 : 0, r.license, r.generalName, r.sha256, r.hashState,
          r.sourceUrl, r.addedAt,
        ),
    );
    return r;
  }

  setHash(id: string, hashState: ModelRow['hashState'], sha256: string | null): void {
    this.#store.run(() =>
      this.#store.db.prepare('UPDATE models SET hash_state = ?, sha256 = ? WHERE id = ?').run(hashState, sha256, id),
    );
  }

  delete(id: string): boolean {
    return this.#store.run(() => this.#store.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes > 0);
  }

  #one(sql: string, ...params: unknown[]): ModelRow | null {
    const row = this.#store.run(() => this.#store.db.prepare(sql).get(...params));
    return row === undefined ? null : ModelRowSchema.parse(row);
  }
}
