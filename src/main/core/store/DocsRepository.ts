import { z } from 'zod';
import * as sqliteVec from 'sqlite-vec';
import {
  DocumentKindSchema,
  DocumentStatusSchema,
  type Collection,
  type DocumentInfo,
  type DocumentKind,
  type DocumentStatus,
} from '../../../shared/contract/docs';
import { DocsVectorIndex, type DocsVectorIndexOptions, type VectorSearchPath } from './DocsVectorIndex';
import type { Store } from './Store';

const CollectionRowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  embedding_model: z.string().nullable(),
  embedding_dims: z.number().int().nullable(),
  chunk_size: z.number().int(),
  chunk_overlap: z.number().int(),
  created_at: z.string(),
  documents: z.number().int(),
  chunks: z.number().int(),
  failed: z.number().int(),
});

export type CollectionRecord = Collection & { embeddingDims: number | null };

const DocumentRowSchema = z.object({
  id: z.number().int(),
  collection_id: z.number().int(),
  path: z.string(),
  name: z.string(),
  kind: DocumentKindSchema,
  size_bytes: z.number().int(),
  sha256: z.string().nullable(),
  status: DocumentStatusSchema,
  reason: z.string().nullable(),
  pages: z.number().int().nullable(),
  chunks: z.number().int(),
  added_at: z.string(),
  indexed_at: z.string().nullable(),
});

const ChunkRowSchema = z.object({
  id: z.number().int(),
  document_id: z.number().int(),
  file_name: z.string(),
  path: z.string(),
  page: z.number().int().nullable(),
  heading: z.string().nullable(),
  char_start: z.number().int(),
  char_end: z.number().int(),
  text: z.string(),
});

export interface ChunkRecord {
  id: number;
  documentId: number;
  fileName: string;
  path: string;
  page: number | null;
  heading: string | null;
  charStart: number;
  charEnd: number;
  text: string;
}

export interface NewChunk {
  seq: number;
  page: number | null;
  heading: string | null;
  charStart: number;
  charEnd: number;
  text: string;
}

const COLLECTION_SELECT = `
  SELECT c.id, c.name, c.embedding_model, c.embedding_dims, c.chunk_size, c.chunk_overlap, c.created_at,
    (SELECT COUNT(*) FROM doc_documents d WHERE d.collection_id = c.id) AS documents,
    (SELECT COALESCE(SUM(d.chunks), 0) FROM doc_documents d WHERE d.collection_id = c.id) AS chunks,
    (SELECT COUNT(*) FROM doc_documents d WHERE d.collection_id = c.id AND d.status = 'failed') AS failed
  FROM doc_collections c`;

const DOCUMENT_COLUMNS = 'id, collection_id, path, name, kind, size_bytes, sha256, status, reason, pages, chunks, added_at, indexed_at';

function toCollection(row: unknown): CollectionRecord {
  const r = CollectionRowSchema.parse(row);
  return {
    id: r.id,
    name: r.name,
    embeddingModel: r.embedding_model,
    embeddingDims: r.embedding_dims,
    chunkSize: r.chunk_size,
    chunkOverlap: r.chunk_overlap,
    createdAt: r.created_at,
    documents: r.documents,
    chunks: r.chunks,
    failed: r.failed,
  };
}

function toDocument(row: unknown): DocumentInfo {
  const r = DocumentRowSchema.parse(row);
  return {
    id: r.id,
    collectionId: r.collection_id,
    path: r.path,
    name: r.name,
    kind: r.kind,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    status: r.status,
    reason: r.reason,
    pages: r.pages,
    chunks: r.chunks,
    addedAt: r.added_at,
    indexedAt: r.indexed_at,
  };
}

function toChunk(row: unknown): ChunkRecord {
  const r = ChunkRowSchema.parse(row);
  return { id: r.id, documentId: r.document_id, fileName: r.file_name, path: r.path, page: r.page, heading: r.heading, charStart: r.char_start, charEnd: r.char_end, text: r.text };
}

/**
 * Turns what a user typed into an FTS5 query: each word quoted (so `?`, `-` or `AND` in a question
 * cannot be read as query syntax) and OR-ed, letting BM25 rank passages that match more of them.
 */
export function ftsQuery(text: string): string | null {
  const all = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [])];
  // Words like "the" or "how" match nearly every chunk: they cost a full ranking pass over the
  // collection and add almost nothing to BM25, so they are left out unless nothing else is left.
  const words = all.filter((w) => !STOPWORDS.has(w));
  const use = words.length > 0 ? words : all;
  return use.length === 0 ? null : use.map((w) => `"${w}"`).join(' OR ');
}

const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its me my no not of on or our ' +
    'should so than that the their them then there these they this those to was we were what when where which who whom why will ' +
    'with would you your'
  ).split(' '),
);

/** Collections, documents, chunks and their keyword and vector indexes. */
export class DocsRepository {
  readonly #store: Store;
  readonly #index: DocsVectorIndex;
  #vectors: boolean | null = null;

  constructor(store: Store, options: DocsVectorIndexOptions = {}) {
    this.#store = store;
    this.#index = new DocsVectorIndex(store, options);
  }

  /**
   * Loads sqlite-vec into the connection. Returns false (keyword search still works) where its
   * prebuilt extension is missing for this platform. Inside a packaged app the file is unpacked
   * next to the asar archive, since SQLite can only load a real file.
   */
  loadVectorExtension(): boolean {
    if (this.#vectors !== null) return this.#vectors;
    try {
      this.#store.db.loadExtension(sqliteVec.getLoadablePath().replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'));
      this.#vectors = true;
    } catch (error) {
      console.warn('parity: vector search is unavailable (sqlite-vec did not load):', error instanceof Error ? error.message : error);
      this.#vectors = false;
    }
    return this.#vectors;
  }

  get vectorsAvailable(): boolean {
    return this.#vectors === true;
  }

  createCollection(c: { name: string; embeddingModel: string | null; chunkSize: number; chunkOverlap: number; createdAt: string }): CollectionRecord {
    const info = this.#store.run(() =>
      this.#store.db
        .prepare('INSERT INTO doc_collections (name, embedding_model, chunk_size, chunk_overlap, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(c.name, c.embeddingModel, c.chunkSize, c.chunkOverlap, c.createdAt),
    );
    return this.getCollection(Number(info.lastInsertRowid))!;
  }

  listCollections(): CollectionRecord[] {
    return this.#store.run(() => this.#store.db.prepare(`${COLLECTION_SELECT} ORDER BY c.name COLLATE NOCASE`).all()).map(toCollection);
  }

  getCollection(id: number): CollectionRecord | null {
    const row = this.#store.run(() => this.#store.db.prepare(`${COLLECTION_SELECT} WHERE c.id = ?`).get(id));
    return row === undefined ? null : toCollection(row);
  }

  findCollection(name: string): CollectionRecord | null {
    const row = this.#store.run(() => this.#store.db.prepare(`${COLLECTION_SELECT} WHERE c.name = ? COLLATE NOCASE`).get(name.trim()));
    return row === undefined ? null : toCollection(row);
  }

  /** Removes the collection with its documents, chunks, keyword index rows and vector table. */
  removeCollection(id: number): void {
    this.#store.transaction(() => {
      this.#index.drop(id);
      this.#store.db.prepare('DELETE FROM doc_collections WHERE id = ?').run(id);
    });
  }

  findDocument(collectionId: number, path: string): DocumentInfo | null {
    const row = this.#store.run(() => this.#store.db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM doc_documents WHERE collection_id = ? AND path = ?`).get(collectionId, path));
    return row === undefined ? null : toDocument(row);
  }

  getDocument(id: number): DocumentInfo | null {
    const row = this.#store.run(() => this.#store.db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM doc_documents WHERE id = ?`).get(id));
    return row === undefined ? null : toDocument(row);
  }

  listDocuments(collectionId: number): DocumentInfo[] {
    return this.#store
      .run(() => this.#store.db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM doc_documents WHERE collection_id = ? ORDER BY name COLLATE NOCASE, id`).all(collectionId))
      .map(toDocument);
  }

  /** Queues a file: a new row, or the existing row of that path (its chunks stay until re-indexed). */
  queueDocument(d: { collectionId: number; path: string; name: string; kind: DocumentKind; sizeBytes: number; addedAt: string }): DocumentInfo {
    const existing = this.findDocument(d.collectionId, d.path);
    if (existing) {
      this.#store.run(() =>
        this.#store.db.prepare("UPDATE doc_documents SET status = 'queued', reason = NULL, size_bytes = ?, kind = ? WHERE id = ?").run(d.sizeBytes, d.kind, existing.id),
      );
      return this.getDocument(existing.id)!;
    }
    const info = this.#store.run(() =>
      this.#store.db
        .prepare("INSERT INTO doc_documents (collection_id, path, name, kind, size_bytes, status, added_at) VALUES (?, ?, ?, ?, ?, 'queued', ?)")
        .run(d.collectionId, d.path, d.name, d.kind, d.sizeBytes, d.addedAt),
    );
    return this.getDocument(Number(info.lastInsertRowid))!;
  }

  /** Queues many files in one transaction: a folder of thousands is one commit, not thousands. */
  queueDocuments(docs: ReadonlyArray<Parameters<DocsRepository['queueDocument']>[0]>): DocumentInfo[] {
    return this.#store.transaction(() => docs.map((d) => this.queueDocument(d)));
  }

  setStatus(id: number, status: DocumentStatus, patch: { reason?: string | null; pages?: number | null; sha256?: string | null; indexedAt?: string | null } = {}): DocumentInfo {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `UPDATE doc_documents SET status = ?, reason = ?,
             pages = CASE WHEN ? THEN ? ELSE pages END,
             sha256 = CASE WHEN ? THEN ? ELSE sha256 END,
             indexed_at = CASE WHEN ? THEN ? ELSE indexed_at END
           WHERE id = ?`,
        )
        .run(status, patch.reason ?? null, patch.pages !== undefined ? 1 : 0, patch.pages ?? null, patch.sha256 !== undefined ? 1 : 0, patch.sha256 ?? null, patch.indexedAt !== undefined ? 1 : 0, patch.indexedAt ?? null, id),
    );
    return this.getDocument(id)!;
  }

  /** Drops a document's chunks (keyword rows by trigger, vectors here) before it is indexed again. */
  clearChunks(collectionId: number, documentId: number): void {
    this.#store.transaction(() => {
      this.#deleteVectors(collectionId, 'SELECT id FROM doc_chunks WHERE document_id = ?', documentId);
      this.#store.db.prepare('DELETE FROM doc_chunks WHERE document_id = ?').run(documentId);
      this.#store.db.prepare('UPDATE doc_documents SET chunks = 0 WHERE id = ?').run(documentId);
    });
  }

  /** One batch of chunks in one transaction; returns the document's new chunk count. */
  insertChunks(collectionId: number, documentId: number, chunks: readonly NewChunk[]): number {
    return this.#store.transaction(() => {
      const insert = this.#store.db.prepare(
        'INSERT INTO doc_chunks (document_id, collection_id, seq, page, heading, char_start, char_end, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const c of chunks) insert.run(documentId, collectionId, c.seq, c.page, c.heading, c.charStart, c.charEnd, c.text);
      this.#store.db.prepare('UPDATE doc_documents SET chunks = chunks + ? WHERE id = ?').run(chunks.length, documentId);
      return (this.#store.db.prepare('SELECT chunks FROM doc_documents WHERE id = ?').pluck().get(documentId) as number) ?? 0;
    });
  }

  /** The next chunks of a document after `afterId`, in order, for embedding in batches. */
  chunkTexts(documentId: number, afterId: number, limit: number): Array<{ id: number; text: string }> {
    const rows = this.#store.run(() => this.#store.db.prepare('SELECT id, text FROM doc_chunks WHERE document_id = ? AND id > ? ORDER BY id LIMIT ?').all(documentId, afterId, limit));
    return z.array(z.object({ id: z.number().int(), text: z.string() })).parse(rows);
  }

  /** Stores vectors, creating the collection's vector tables (with the model's dimension) on first use. */
  insertVectors(collectionId: number, vectors: ReadonlyArray<{ chunkId: number; vector: readonly number[] }>): void {
    this.#index.insert(collectionId, vectors);
  }

  /** Chunk ids by BM25 (best first); the score is -bm25 so that higher is better. */
  keywordSearch(collectionId: number, query: string, limit: number): Array<{ chunkId: number; score: number }> {
    const match = ftsQuery(query);
    if (match === null) return [];
    const rows = this.#store.run(() =>
      this.#store.db
        .prepare(
          // ORDER BY rank (bm25 by default) lets FTS5 sort inside the index scan; ORDER BY bm25() with a
          // tie-breaker made SQLite sort every match itself, about twice as slow at 100,000 chunks.
          `SELECT c.id AS chunkId, -f.rank AS score FROM doc_chunks_fts f JOIN doc_chunks c ON c.id = f.rowid
           WHERE doc_chunks_fts MATCH ? AND c.collection_id = ? ORDER BY f.rank LIMIT ?`,
        )
        .all(match, collectionId, limit),
    );
    return z.array(z.object({ chunkId: z.number().int(), score: z.number() })).parse(rows);
  }

  /**
   * Nearest chunks by cosine distance (ties by id); empty when nothing in the collection is embedded
   * yet. Large collections of high-dimensional vectors take a quantized path whose order is exact
   * among its candidates (see DocsVectorIndex); `exact` forces the full scan.
   */
  vectorSearch(collectionId: number, vector: readonly number[], limit: number, o: { exact?: boolean } = {}): Array<{ chunkId: number; distance: number }> {
    return this.vectorSearchWithPath(collectionId, vector, limit, o).hits;
  }

  /** vectorSearch, saying which path answered. */
  vectorSearchWithPath(collectionId: number, vector: readonly number[], limit: number, o: { exact?: boolean } = {}): { hits: Array<{ chunkId: number; distance: number }>; path: VectorSearchPath } {
    if (!this.vectorsAvailable) return { hits: [], path: 'exact' };
    return this.#index.search(collectionId, vector, limit, o);
  }

  /**
   * Whether the collection has a vector table. Reading a row of it to check would cost a scan
   * (vec0 does not stop early: 28 ms at 100,000 chunks), so a table emptied by removals counts too;
   * its searches then simply find nothing.
   */
  hasVectors(collectionId: number): boolean {
    return this.vectorsAvailable && this.#index.has(collectionId);
  }

  chunks(ids: readonly number[]): ChunkRecord[] {
    if (ids.length === 0) return [];
    const rows = this.#store.run(() =>
      this.#store.db
        .prepare(
          `SELECT c.id, c.document_id, d.name AS file_name, d.path, c.page, c.heading, c.char_start, c.char_end, c.text
           FROM doc_chunks c JOIN doc_documents d ON d.id = c.document_id WHERE c.id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(ids)),
    );
    return rows.map(toChunk);
  }

  removeDocuments(collectionId: number, ids: readonly number[]): number {
    return this.#store.transaction(() => {
      let removed = 0;
      for (const id of ids) {
        this.#deleteVectors(collectionId, 'SELECT id FROM doc_chunks WHERE document_id = ?', id);
        removed += this.#store.db.prepare('DELETE FROM doc_documents WHERE id = ? AND collection_id = ?').run(id, collectionId).changes;
      }
      return removed;
    });
  }

  /** Start-up repair: files a crash left half-indexed are marked failed so they can be added again. */
  markInterrupted(reason: string): number {
    return this.#store.repair(
      () => this.#store.db.prepare("UPDATE doc_documents SET status = 'failed', reason = ? WHERE status IN ('queued', 'parsing', 'embedding')").run(reason).changes,
    );
  }

  #deleteVectors(collectionId: number, idsSql: string, param: number): void {
    this.#index.delete(collectionId, idsSql, param, this.vectorsAvailable);
  }
}
