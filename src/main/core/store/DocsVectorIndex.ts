import { z } from 'zod';
import { BinaryCodes } from './BinaryCodes';
import type { Store } from './Store';

export interface DocsVectorIndexOptions {
  /** Collections with fewer chunks are always searched exactly. */
  quantizedMinChunks?: number;
  /** Vectors with fewer dimensions are always searched exactly (and get no quantized copy). */
  quantizedMinDims?: number;
}

export type VectorSearchPath = 'exact' | 'quantized';

/**
 * Measured at 100,000 chunks on 2 cores (sqlite-vec 0.1.9, bench docs-index): at 384 dimensions the
 * exact vec0 scan costs 49-61 ms p50 and the quantized search 6-7 ms, keeping 0.98-0.99 of the exact
 * top k on topic-mixture vectors (0.81-0.86 on uniform random ones). At 64 dimensions the quantized
 * search (6 ms against 10-15 ms) kept only 0.57: 64 sign bits say too little, so smaller vectors stay
 * exact. Below 20,000 chunks the exact scan takes a few ms at common sizes, and small collections
 * keep exact results.
 */
export const QUANTIZED_MIN_CHUNKS = 20_000;
export const QUANTIZED_MIN_DIMS = 256;

/**
 * How many candidates the binary pass hands to exact re-scoring: 40 per result wanted, at least
 * 1,000, at most 2,000 (hybrid's 50-deep list). The pass costs the same for any count (a histogram
 * of distances), re-scoring about 1 µs a candidate. On topic-mixture vectors at 384-d and 100,000
 * chunks, recall vs the exact top 10 was 0.92 with 200 candidates, 0.96 with 500, 0.995 with 1,000;
 * of the exact top 50, 0.93 with 500, 0.97 with 1,000 and 0.99 with 2,000.
 */
export function candidateCount(limit: number): number {
  return Math.min(2000, Math.max(1000, 40 * limit));
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
 * The Hamming ranking runs over the codes in memory (BinaryCodes: 2 ms), loaded from the table's
 * codes index on first use and again after any write to the collection from this instance
 * (app.ts builds one per store) or a commit from another connection (`PRAGMA data_version`).
 * Why not the alternatives sqlite-vec offers (all measured, 100,000 × 384-d, 2 cores):
 * - a vec0 `bit[N]` table: its top-k selection costs O(rows × k) (35 ms at k = 400); SQLite's
 *   `ORDER BY vec_distance_hamming(…) LIMIT` keeps a heap but pays two function calls a row (13 ms);
 * - `int8[N]`: recall is near 1 but the scan of 384 bytes a row costs more than the exact float scan;
 * - re-scoring from vec0 by chunk id: each lookup walks its 1.5 MB chunk blob's page chain (about
 *   200 µs, 87 ms for 400 candidates), hence the float copy: 4 bytes × dims per chunk more on disk;
 * - normalised vectors with L2 instead of cosine: 15 % cheaper, not enough to matter.
 * The table has an index on (chunk_id, bits), which loading the codes scans (`INDEXED BY`) so that
 * it reads 48 bytes a row in id order, not the 1.5 KB row with its floats.
 */
export class DocsVectorIndex {
  readonly #store: Store;
  readonly #minChunks: number;
  readonly #minDims: number;
  readonly #codes = new Map<number, { dataVersion: number; codes: BinaryCodes }>();

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
    this.#codes.delete(collectionId);
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
    this.#codes.delete(collectionId);
    // A plain table: kept in step even where sqlite-vec failed to load.
    if (this.hasQuantized(collectionId)) db.prepare(`DELETE FROM ${quantizedTable(collectionId)} WHERE chunk_id IN (${idsSql})`).run(param);
    if (!vectorsLoaded || !this.has(collectionId)) return;
    const ids = db.prepare(idsSql).pluck().all(param) as number[];
    const del = db.prepare(`DELETE FROM ${vecTable(collectionId)} WHERE chunk_id = ?`);
    for (const id of ids) del.run(BigInt(id));
  }

  /** Drops both tables of a collection; call inside the transaction that removes it. */
  drop(collectionId: number): void {
    this.#codes.delete(collectionId);
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
      const rows = this.#store.run(() => {
        const bits = this.#store.db.prepare('SELECT vec_quantize_binary(?)').pluck().get(q) as Uint8Array;
        const candidates = this.#loadCodes(collectionId).nearest(bits, candidateCount(limit));
        return this.#store.db
          .prepare(
            `SELECT chunk_id AS chunkId, vec_distance_cosine(vector, @q) AS distance FROM ${quantizedTable(collectionId)}
             WHERE chunk_id IN (SELECT value FROM json_each(@candidates)) ORDER BY distance, chunk_id LIMIT @limit`,
          )
          .all({ q, candidates: JSON.stringify(candidates), limit });
      });
      return { hits: HitsSchema.parse(rows), path: 'quantized' };
    }
    const rows = this.#store.run(() =>
      this.#store.db.prepare(`SELECT chunk_id AS chunkId, distance FROM ${vecTable(collectionId)} WHERE embedding MATCH ? AND k = ? ORDER BY distance`).all(q, limit),
    );
    // vec0 allows no second ORDER BY term, so ties are broken by id here, for stable results.
    return { hits: HitsSchema.parse(rows).sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId), path: 'exact' };
  }

  /** The collection's codes in memory, loaded again when this instance or another connection wrote since. */
  #loadCodes(collectionId: number): BinaryCodes {
    const dataVersion = this.#store.db.pragma('data_version', { simple: true }) as number;
    const cached = this.#codes.get(collectionId);
    if (cached && cached.dataVersion === dataVersion) return cached.codes;
    const t = quantizedTable(collectionId);
    // In id order, so ties at the cut-off go to the lower id, as ORDER BY distance, id would.
    const rows = this.#store.db.prepare(`SELECT chunk_id, bits FROM ${t} INDEXED BY ${t}_codes ORDER BY chunk_id`).raw().all() as Array<[number, Uint8Array]>;
    const codes = BinaryCodes.from(rows);
    this.#codes.set(collectionId, { dataVersion, codes });
    return codes;
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
    this.#codes.delete(collectionId);
    const t = quantizedTable(collectionId);
    this.#store.db.exec(`CREATE TABLE ${t} (chunk_id INTEGER PRIMARY KEY, bits BLOB NOT NULL, vector BLOB NOT NULL) STRICT; CREATE INDEX ${t}_codes ON ${t}(chunk_id, bits);`);
    this.#store.db.exec(`INSERT INTO ${t} (chunk_id, bits, vector) SELECT chunk_id, vec_quantize_binary(embedding), embedding FROM ${vecTable(collectionId)}`);
    return true;
  }

  #exists(table: string): boolean {
    return this.#store.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  }
}
