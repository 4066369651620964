import type { SearchHit, SearchMode } from '../../../shared/contract/docs';
import type { CollectionRecord, DocsRepository } from '../store/DocsRepository';
import type { DocsEmbedFunction } from './indexDocument';

/** The k of reciprocal rank fusion (Cormack et al. 2009): damps the weight of the very top ranks. */
export const RRF_K = 60;

export interface SearchOptions {
  repo: DocsRepository;
  collection: CollectionRecord;
  query: string;
  k: number;
  mode: SearchMode;
  embed: DocsEmbedFunction | null;
  signal?: AbortSignal;
}

/**
 * Keyword (FTS5 BM25), vector (sqlite-vec cosine) or hybrid (reciprocal rank fusion of both).
 * Without an embedding model, or before any chunk is embedded, vector and hybrid fall back to
 * keyword search and `note` says so.
 */
export async function searchCollection(o: SearchOptions): Promise<{ hits: SearchHit[]; mode: SearchMode; note: string | null }> {
  const { repo, collection, query, k } = o;
  let mode = o.mode;
  let note: string | null = null;
  if (mode !== 'keyword') {
    const why = vectorUnavailable(o);
    if (why !== null) {
      note = `${why} Showing keyword results.`;
      mode = 'keyword';
    }
  }
  // Hybrid ranks from deeper lists than k, so a passage second in one list and absent from the other's top k can still win.
  const depth = mode === 'hybrid' ? Math.max(k * 4, 50) : k;
  let vector: Array<{ chunkId: number; distance: number }> = [];
  if (mode !== 'keyword') {
    try {
      const [q] = await o.embed!([query], { model: collection.embeddingModel!, signal: o.signal });
      vector = repo.vectorSearch(collection.id, q!, depth);
    } catch (error) {
      if (o.signal?.aborted) throw error;
      // The embedding model may have been removed or fail to load: an answer from keywords beats none.
      note = `Vector search failed (${error instanceof Error ? error.message : String(error)}). Showing keyword results.`;
      mode = 'keyword';
    }
  }
  const keyword = mode === 'vector' ? [] : repo.keywordSearch(collection.id, query, mode === 'hybrid' ? depth : k);
  const keywordRank = new Map(keyword.map((h, i) => [h.chunkId, i + 1]));
  const vectorRank = new Map(vector.map((h, i) => [h.chunkId, i + 1]));
  let ranked: Array<{ chunkId: number; score: number }>;
  if (mode === 'keyword') ranked = keyword;
  else if (mode === 'vector') ranked = vector.map((h) => ({ chunkId: h.chunkId, score: 1 - h.distance }));
  else {
    const fused = new Map<number, number>();
    for (const [id, rank] of keywordRank) fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank));
    for (const [id, rank] of vectorRank) fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank));
    ranked = [...fused].map(([chunkId, score]) => ({ chunkId, score })).sort((a, b) => b.score - a.score || a.chunkId - b.chunkId);
  }
  ranked = ranked.slice(0, k);
  const byId = new Map(repo.chunks(ranked.map((r) => r.chunkId)).map((c) => [c.id, c]));
  const hits: SearchHit[] = [];
  for (const r of ranked) {
    const c = byId.get(r.chunkId);
    if (!c) continue;
    hits.push({
      chunkId: c.id,
      documentId: c.documentId,
      fileName: c.fileName,
      path: c.path,
      page: c.page,
      heading: c.heading,
      charStart: c.charStart,
      charEnd: c.charEnd,
      text: c.text,
      score: r.score,
      keywordRank: keywordRank.get(c.id) ?? null,
      vectorRank: vectorRank.get(c.id) ?? null,
    });
  }
  return { hits, mode, note };
}

function vectorUnavailable(o: SearchOptions): string | null {
  if (!o.collection.embeddingModel) return `Collection "${o.collection.name}" has no embedding model, so only keyword search is available.`;
  if (!o.embed || !o.repo.vectorsAvailable) return 'Vector search is unavailable on this platform (the sqlite-vec extension did not load).';
  if (!o.repo.hasVectors(o.collection.id)) return `Nothing in "${o.collection.name}" is embedded yet.`;
  return null;
}
