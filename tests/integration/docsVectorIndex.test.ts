import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocsRepository } from '../../src/main/core/store/DocsRepository';
import type { DocsVectorIndexOptions } from '../../src/main/core/store/DocsVectorIndex';
import { Store } from '../../src/main/core/store/Store';
import { tempDir } from '../helpers/tmp';

// Real SQLite with sqlite-vec. Vectors are constructed, so which chunks are nearest is known.
let dir: ReturnType<typeof tempDir>;
let store: Store;

beforeEach(() => {
  dir = tempDir('parity-docs-vecindex-');
  store = Store.open({ path: join(dir.path, 'parity.db') });
});

afterEach(() => {
  store.dispose();
  dir[Symbol.dispose]();
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function repository(options?: DocsVectorIndexOptions): DocsRepository {
  const repo = new DocsRepository(store, options);
  expect(repo.loadVectorExtension()).toBe(true);
  return repo;
}

/** A collection with one document per entry of `docs`, each with that many chunks; returns chunk ids per document. */
function collectionWithChunks(repo: DocsRepository, docs: number[]): { collectionId: number; documentIds: number[]; chunkIds: number[][] } {
  const collectionId = repo.createCollection({ name: 'c', embeddingModel: 'test:model', chunkSize: 1000, chunkOverlap: 0, createdAt: '' }).id;
  const documentIds: number[] = [];
  const chunkIds: number[][] = [];
  docs.forEach((count, d) => {
    const documentId = repo.queueDocument({ collectionId, path: `/d${d}.txt`, name: `d${d}.txt`, kind: 'text', sizeBytes: 0, addedAt: '' }).id;
    repo.insertChunks(collectionId, documentId, Array.from({ length: count }, (_, i) => ({ seq: i, page: null, heading: null, charStart: 0, charEnd: 1, text: `chunk ${d} ${i}` })));
    documentIds.push(documentId);
    chunkIds.push(repo.chunkTexts(documentId, 0, count).map((c) => c.id));
  });
  return { collectionId, documentIds, chunkIds };
}

/**
 * `clusters` clusters (40 by default), each a random ±1 sign pattern; a member is its pattern times 1-2 plus noise below
 * 0.5, so its sign bits are its cluster's. A query near a cluster has Hamming distance 0 to all its
 * members and at least a few bits to anything else: the binary pass is known to keep every true neighbour.
 */
function clusteredVectors(count: number, dims: number, seed = 1, clusters = 40) {
  const rand = rng(seed);
  const patterns = Array.from({ length: clusters }, () => Array.from({ length: dims }, () => (rand() < 0.5 ? -1 : 1)));
  const near = (cluster: number) => patterns[cluster]!.map((s) => s * (1 + rand()) + (rand() - 0.5) * 0.9);
  return { vectors: Array.from({ length: count }, (_, i) => near(i % patterns.length)), near };
}

function rows(table: string): number {
  return store.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

function tableExists(table: string): boolean {
  return store.db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(table) !== undefined;
}

describe('quantized vector search', () => {
  it('returns the exact top k (same chunks, same distances) where the binary pass keeps every true neighbour', () => {
    const repo = repository({ quantizedMinChunks: 1000, quantizedMinDims: 32 });
    // 8,000 chunks in 80 clusters of 100: the 1,000-2,000 candidates are a quarter of the collection at most.
    const { collectionId, chunkIds } = collectionWithChunks(repo, [5000, 3000]);
    const ids = chunkIds.flat();
    const { vectors, near } = clusteredVectors(ids.length, 32, 1, 80);
    repo.insertVectors(collectionId, ids.map((chunkId, i) => ({ chunkId, vector: vectors[i]! })));
    for (const cluster of [0, 7, 79]) {
      const query = near(cluster);
      for (const k of [10, 50]) {
        const fast = repo.vectorSearchWithPath(collectionId, query, k);
        const exact = repo.vectorSearchWithPath(collectionId, query, k, { exact: true });
        expect(fast.path).toBe('quantized');
        expect(exact.path).toBe('exact');
        expect(fast.hits).toHaveLength(k);
        expect(fast.hits).toEqual(exact.hits);
      }
    }
  });

  it('leaves small collections and low-dimensional vectors on the exact vec0 scan, with the results it always gave', () => {
    const small = repository();
    const a = collectionWithChunks(small, [300]);
    const rand = rng(5);
    const vectors = a.chunkIds[0]!.map((chunkId) => ({ chunkId, vector: Array.from({ length: 384 }, () => rand() - 0.5) }));
    small.insertVectors(a.collectionId, vectors);
    const query = Array.from({ length: 384 }, () => rand() - 0.5);
    const result = small.vectorSearchWithPath(a.collectionId, query, 10);
    expect(result.path).toBe('exact');
    // What vectorSearch returned before the quantized path existed: vec0's KNN, ties by id.
    const before = store.db
      .prepare(`SELECT chunk_id AS chunkId, distance FROM doc_vec_${a.collectionId} WHERE embedding MATCH ? AND k = 10 ORDER BY distance`)
      .all(new Float32Array(query)) as Array<{ chunkId: number; distance: number }>;
    expect(result.hits).toEqual(before.sort((x, y) => x.distance - y.distance || x.chunkId - y.chunkId));

    // 64-d vectors (the shared test model's size) are searched exactly at any collection size and get no quantized copy.
    small.removeCollection(a.collectionId);
    const lowDims = repository({ quantizedMinChunks: 10 });
    const b = collectionWithChunks(lowDims, [300]);
    lowDims.insertVectors(b.collectionId, b.chunkIds[0]!.map((chunkId) => ({ chunkId, vector: Array.from({ length: 64 }, () => rand() - 0.5) })));
    expect(lowDims.vectorSearchWithPath(b.collectionId, Array.from({ length: 64 }, () => rand() - 0.5), 10).path).toBe('exact');
    expect(tableExists(`doc_vecq_${b.collectionId}`)).toBe(false);
    // A query from a bigger model fails as it always did, without building a table for the small vectors.
    expect(() => lowDims.vectorSearch(b.collectionId, Array.from({ length: 384 }, () => rand() - 0.5), 10)).toThrow(/[Dd]imension/);
    expect(tableExists(`doc_vecq_${b.collectionId}`)).toBe(false);
  });

  it('sees vectors written after it loaded the codes, by itself or by another connection', () => {
    const repo = repository({ quantizedMinChunks: 100, quantizedMinDims: 32 });
    const { collectionId, documentIds, chunkIds } = collectionWithChunks(repo, [300, 2, 1]);
    const { vectors, near } = clusteredVectors(300, 32, 4);
    repo.insertVectors(collectionId, chunkIds[0]!.map((chunkId, i) => ({ chunkId, vector: vectors[i]! })));
    // A vector with its own sign pattern, far from every cluster: its own nearest, once the codes know it.
    const lone = Array.from({ length: 32 }, (_, i) => (i % 3 === 0 ? 2 : -2));
    expect(repo.vectorSearchWithPath(collectionId, lone, 5).path).toBe('quantized');
    repo.insertVectors(collectionId, [{ chunkId: chunkIds[1]![0]!, vector: lone }]);
    expect(repo.vectorSearch(collectionId, lone, 1)[0]?.chunkId).toBe(chunkIds[1]![0]);

    // The CLI writing to the same file while the app runs: another connection, another repository.
    const other = Store.open({ path: join(dir.path, 'parity.db') });
    try {
      const otherRepo = new DocsRepository(other, { quantizedMinChunks: 100, quantizedMinDims: 32 });
      expect(otherRepo.loadVectorExtension()).toBe(true);
      const second = lone.map((x, i) => (i === 1 ? -x : x));
      otherRepo.insertVectors(collectionId, [{ chunkId: chunkIds[2]![0]!, vector: second }]);
      expect(repo.vectorSearch(collectionId, second, 1)[0]?.chunkId).toBe(chunkIds[2]![0]);
    } finally {
      other.dispose();
    }
    repo.removeDocuments(collectionId, [documentIds[1]!]);
    expect(repo.vectorSearch(collectionId, lone, 3).map((h) => h.chunkId)).not.toContain(chunkIds[1]![0]);
    const query = near(0);
    expect(repo.vectorSearch(collectionId, query, 10)).toEqual(repo.vectorSearch(collectionId, query, 10, { exact: true }));
  });

  it('keeps the vec0 table and the quantized table in step when chunks, documents and collections are removed', () => {
    const repo = repository({ quantizedMinChunks: 100, quantizedMinDims: 32 });
    const { collectionId, documentIds, chunkIds } = collectionWithChunks(repo, [150, 100, 50]);
    const ids = chunkIds.flat();
    const { vectors, near } = clusteredVectors(ids.length, 32, 2);
    repo.insertVectors(collectionId, ids.map((chunkId, i) => ({ chunkId, vector: vectors[i]! })));
    const vec = `doc_vec_${collectionId}`;
    const quantized = `doc_vecq_${collectionId}`;
    expect([rows(vec), rows(quantized)]).toEqual([300, 300]);

    repo.removeDocuments(collectionId, [documentIds[0]!]);
    expect([rows(vec), rows(quantized)]).toEqual([150, 150]);
    repo.clearChunks(collectionId, documentIds[1]!);
    expect([rows(vec), rows(quantized)]).toEqual([50, 50]);
    // Below the size threshold now: answered exactly, from what is left.
    const left = new Set(chunkIds[2]);
    const after = repo.vectorSearchWithPath(collectionId, near(3), 20);
    expect(after.path).toBe('exact');
    expect(after.hits.every((h) => left.has(h.chunkId))).toBe(true);

    repo.removeCollection(collectionId);
    expect([tableExists(vec), tableExists(quantized)]).toEqual([false, false]);
  });

  it('builds the quantized table from the stored vectors of a collection embedded before it existed', () => {
    const repo = repository({ quantizedMinChunks: 1000, quantizedMinDims: 32 });
    const { collectionId, documentIds, chunkIds } = collectionWithChunks(repo, [1000, 200]);
    const { vectors, near } = clusteredVectors(1200, 32, 3);
    // What the previous schema wrote: the vec0 table alone, and the collection's dimension.
    store.db.exec(`CREATE VIRTUAL TABLE doc_vec_${collectionId} USING vec0(chunk_id INTEGER PRIMARY KEY, embedding float[32] distance_metric=cosine)`);
    store.db.prepare('UPDATE doc_collections SET embedding_dims = 32 WHERE id = ?').run(collectionId);
    const insert = store.db.prepare(`INSERT INTO doc_vec_${collectionId} (chunk_id, embedding) VALUES (?, ?)`);
    chunkIds[0]!.forEach((chunkId, i) => insert.run(BigInt(chunkId), new Float32Array(vectors[i]!)));
    expect(tableExists(`doc_vecq_${collectionId}`)).toBe(false);

    // Adding vectors to it fills the new table with the old ones first.
    repo.insertVectors(collectionId, chunkIds[1]!.map((chunkId, i) => ({ chunkId, vector: vectors[1000 + i]! })));
    expect([rows(`doc_vec_${collectionId}`), rows(`doc_vecq_${collectionId}`)]).toEqual([1200, 1200]);
    const query = near(11);
    const fast = repo.vectorSearchWithPath(collectionId, query, 10);
    expect(fast.path).toBe('quantized');
    expect(fast.hits).toEqual(repo.vectorSearchWithPath(collectionId, query, 10, { exact: true }).hits);

    // A search at size builds it too, for a collection nobody writes to any more.
    store.db.exec(`DROP TABLE doc_vecq_${collectionId}`);
    const reopened = repository({ quantizedMinChunks: 1000, quantizedMinDims: 32 });
    const searched = reopened.vectorSearchWithPath(collectionId, query, 10);
    expect(searched.path).toBe('quantized');
    expect(searched.hits).toEqual(fast.hits);
    expect(rows(`doc_vecq_${collectionId}`)).toBe(1200);
    expect(documentIds).toHaveLength(2);
  });
});
