import { z } from 'zod';
import type { Store } from './Store';

export interface DocsVectorIndexOptions {
  /** Collections with fewer chunks are always searched exactly. */
  quantizedMinChunks?: number;
  /** Vectors with fewer dimensions are always searched exactly (and get no quantized copy). */
  quantizedMinDims?: number;
}

export type VectorSearchPath = 'exact' | 'quantized';

/**
 * Measured at 100,000 chunks on 2 cores (sqlite-vec 0.1.9): at 384 dimensions the exact vec0 scan
 * costs 55-95 ms and the quantized search 15-20 ms; at 64 dimensions the exact scan (9-11 ms)
 * costs no more than the quantized one, which would only lose recall. Below 20,000 chunks the exact
 * scan is already a few ms at any common size, and small collections keep exact results.
 */
export const QUANTIZED_MIN_CHUNKS = 20_000;
export const QUANTIZED_MIN_DIMS = 256;

/**
 * How many candidates the binary pass hands to exact re-scoring: 20 per result wanted, at least 500,
 * at most 1,000 (hybrid's 50-deep list). The pass costs nearly the same for any count up to that (a
 * heap over every code), re-scoring about 5-10 µs a candidate. On topic-mixture vectors at 384-d and
 * 100,000 chunks, recall vs the exact top 10 was 0.92 with 200 candidates, 0.96 with 500, 0.995 with
 * 1,000; of the exact top 50, 0.97 with 1,000 and 0.99 with 2,000 (which cost 15 ms more).
 */
export function candidateCount(limit: number): number {
  return Math.min(1000, Math.max(500, 20 * limit));
}

/** The vec0 table of one collection; the id is an integer from our own table, never user text. */
export function vecTable(collectionId: number): string {
  return `doc_vec_${Math.trunc(collectionId)}`;
}

/** The quantized copy of a collection's vectors: sign bits for a coarse pass, floats to re-score. */
export function quantizedTable(collectionId: number): string {
  return `doc_vecq_${Math.trunc(collectionId)}`;
}

const HitsSchema = z.array(z.object({ chunkId: z.number().int(), distance: z.number() }));

/**
 * Vector storage and nearest-neighbour search for document collections.
 *
 * Every collection has a vec0 table (exact cosine KNN). Large collections of high-dimensional
 * vectors are searched through a second, plain table instead: the vector's sign bits
 * (`vec_quantize_binary`) and the float vector itself. A query ranks every chunk by Hamming
 * distance, then re-scores the best candidates by exact cosine distance from the floats, so the
 * final order is exact among the candidates; what can differ from the exact scan is a true
 * neighbour that the bits ranked outside the candidates.
 * Why not the alternatives sqlite-vec offers (all measured, 100,000 × 384-d, 2 cores):
 * - a vec0 `bit[N]` table: its top-k selection costs O(rows × k) (35 ms at k = 400), while SQLite's
 *   `ORDER BY … LIMIT` keeps a heap (9-15 ms for any candidate count up to 1,000);
 * - `int8[N]`: recall is near 1 but the scan of 384 bytes a row costs more than the exact float scan;
 * - re-scoring from vec0 by chunk id: each lookup walks its 1.5 MB chunk blob's page chain (about
 *   200 µs, 87 ms for 400 candidates), hence the float copy: 4 bytes × dims per chunk more on disk;
 * - normalised vectors with L2 instead of cosine: 15 % cheaper, not enough to matter.
 * The table has an index on the bits, which the coarse pass scans (`INDEXED BY`) so that it reads
 * 48 bytes a row, not the 1.5 KB row with its floats.
 */
export class DocsVectorIndex {
  readonly #store: Store;
  readonly #minChunks: number;
  readonly #minDims: number;

  constructor(store: Store, options: DocsVectorIndexOptions = {}) {
    this.#store = store;
    this.#minChunks = options.quantizedMinChunks ?? QUANTIZED_MIN_CHUNKS;
    this.#minDims = options.quantizedMinDims ?? QUANTIZED_MIN_DIMS;
  }

  has(collectionId: number): boolean {
    return this.#exists(vecTable(collectionId));
  }

  hasQuantized(collectionId: number): boolean {
    return this.#exists(quantizedTable(collectionId));
  }

  /** Stores vectors in both tables, creating them (with the model's dimension) on first use. */
  insert(collectionId: number, vectors: ReadonlyArray<{ chunkId: number; vector: readonly number[] }>): void {
    if (vectors.length === 0) return;
    const dims = vectors[0]!.vector.length;
    const db = this.#store.db;
    this.#store.transaction(() => {
      if (!this.has(collectionId)) {
        db.exec(`CREATE VIRTUAL TABLE ${vecTable(collectionId)} USING vec0(chunk_id INTEGER PRIMARY KEY, embedding float[${dims}] distance_metric=cosine)`);
        db.prepare('UPDATE doc_collections SET embedding_dims = ? WHERE id = ?').run(dims, collectionId);
      }
      const quantized = this.#quantizes(dims) && this.#ensureQuantized(collectionId);
      const insert = db.prepare(`INSERT OR REPLACE INTO ${vecTable(collectionId)} (chunk_id, embedding) VALUES (?, ?)`);
      const insertQuantized = quantized ? db.prepare(`INSERT OR REPLACE INTO ${quantizedTable(collectionId)} (chunk_id, bits, vector) VALUES (?, vec_quantize_binary(?), ?)`) : null;
      for (const v of vectors) {
        const f = new Float32Array(v.vector);
        insert.run(BigInt(v.chunkId), f);
        insertQuantized?.run(v.chunkId, f, f);
      }
    });
  }

  /** Removes the vectors of the chunks `idsSql` selects; call inside the transaction that deletes the chunks, before it does. */
  delete(collectionId: number, idsSql: string, param: number, vectorsLoaded: boolean): void {
    const db = this.#store.db;
    // A plain table: kept in step even where sqlite-vec failed to load.
    if (this.hasQuantized(collectionId)) db.prepare(`DELETE FROM ${quantizedTable(collectionId)} WHERE chunk_id IN (${idsSql})`).run(param);
    if (!vectorsLoaded || !this.has(collectionId)) return;
    const ids = db.prepare(idsSql).pluck().all(param) as number[];
    const del = db.prepare(`DELETE FROM ${vecTable(collectionId)} WHERE chunk_id = ?`);
    for (const id of ids) del.run(BigInt(id));
  }

  /** Drops both tables of a collection; call inside the transaction that removes it. */
  drop(collectionId: number): void {
    if (this.has(collectionId)) this.#store.db.exec(`DROP TABLE ${vecTable(collectionId)}`);
    if (this.hasQuantized(collectionId)) this.#store.db.exec(`DROP TABLE ${quantizedTable(collectionId)}`);
  }

  /**
   * Nearest chunks by cosine distance, ties by chunk id. `exact` forces the full scan (the
   * benchmark compares the two); otherwise large high-dimensional collections take the quantized path.
   */
  search(collectionId: number, vector: readonly number[], limit: number, o: { exact?: boolean } = {}): { hits: Array<{ chunkId: number; distance: number }>; path: VectorSearchPath } {
    if (!this.has(collectionId)) return { hits: [], path: 'exact' };
    const q = new Float32Array(vector);
    if (!o.exact && this.#useQuantized(collectionId)) {
      const rows = this.#store.run(() =>
        this.#store.db
          .prepare(
            `WITH candidates AS (
               SELECT chunk_id FROM ${quantizedTable(collectionId)} INDEXED BY ${quantizedTable(collectionId)}_bits
               ORDER BY vec_distance_hamming(vec_bit(bits), vec_quantize_binary(@q)), chunk_id LIMIT @candidates)
             SELECT t.chunk_id AS chunkId, vec_distance_cosine(t.vector, @q) AS distance
             FROM candidates c JOIN ${quantizedTable(collectionId)} t ON t.chunk_id = c.chunk_id
             ORDER BY distance, t.chunk_id LIMIT @limit`,
          )
          .all({ q, candidates: candidateCount(limit), limit }),
      );
      return { hits: HitsSchema.parse(rows), path: 'quantized' };
    }
    const rows = this.#store.run(() =>
      this.#store.db.prepare(`SELECT chunk_id AS chunkId, distance FROM ${vecTable(collectionId)} WHERE embedding MATCH ? AND k = ? ORDER BY distance`).all(q, limit),
    );
    // vec0 allows no second ORDER BY term, so ties are broken by id here, for stable results.
    return { hits: HitsSchema.parse(rows).sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId), path: 'exact' };
  }

  #quantizes(dims: number): boolean {
    // vec_quantize_binary packs 8 dimensions a byte and refuses other sizes.
    return dims >= this.#minDims && dims % 8 === 0;
  }

  #useQuantized(collectionId: number): boolean {
    // The stored dimension, not the query's: a query from another model must fail as it did, not
    // get a quantized table built for vectors too small to have one.
    // Chunks of the collection's documents, not rows of vec0 (counting those is a full scan):
    // the two differ only while a file is being embedded.
    const row = this.#store.db
      .prepare('SELECT embedding_dims AS dims, (SELECT COALESCE(SUM(chunks), 0) FROM doc_documents WHERE collection_id = @id) AS chunks FROM doc_collections WHERE id = @id')
      .get({ id: collectionId }) as { dims: number | null; chunks: number } | undefined;
    if (!row || row.dims === null || !this.#quantizes(row.dims) || row.chunks < this.#minChunks) return false;
    if (this.hasQuantized(collectionId)) return true;
    // A read-only store cannot build the table: the exact scan still answers, just slower.
    if (this.#store.health().readOnly) return false;
    return this.#store.transaction(() => this.#ensureQuantized(collectionId));
  }

  /**
   * Creates the quantized table, filled from the vec0 table: collections embedded before this table
   * existed get it the first time they are written to or searched at size, in one transaction.
   */
  #ensureQuantized(collectionId: number): boolean {
    if (this.hasQuantized(collectionId)) return true;
    const t = quantizedTable(collectionId);
    this.#store.db.exec(`CREATE TABLE ${t} (chunk_id INTEGER PRIMARY KEY, bits BLOB NOT NULL, vector BLOB NOT NULL) STRICT; CREATE INDEX ${t}_bits ON ${t}(bits);`);
    this.#store.db.exec(`INSERT INTO ${t} (chunk_id, bits, vector) SELECT chunk_id, vec_quantize_binary(embedding), embedding FROM ${vecTable(collectionId)}`);
    return true;
  }

  #exists(table: string): boolean {
    return this.#store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  }
}
