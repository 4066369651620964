import type { ExpectedSource, RetrievalCaseResult, RetrievalMetricRow, SearchHit, SearchMode, SearchResult } from '../../../shared/contract/docs';

export interface RetrievalCase {
  id: string;
  query: string;
  expected: ExpectedSource[];
}

/** A hit counts for an expected source when the file name matches (and the page, when one is given). */
export function hitMatches(hit: Pick<SearchHit, 'fileName' | 'path' | 'page'>, expected: ExpectedSource): boolean {
  const want = expected.file.toLowerCase();
  const sameFile = hit.fileName.toLowerCase() === want || hit.path.toLowerCase().endsWith(`/${want}`) || hit.path.toLowerCase() === want;
  return sameFile && (expected.page === undefined || expected.page === null || hit.page === expected.page);
}

/**
 * `handbook.pdf`, `handbook.pdf#page=2` or `{ file, page }`: the forms `vars.expected_sources`
 * takes. Returns null for anything else, so the caller can name the bad entry.
 */
export function parseExpectedSource(value: unknown): ExpectedSource | null {
  if (typeof value === 'string') {
    const m = /^(.+?)(?:#page=(\d+))?$/.exec(value.trim());
    if (!m || m[1]!.trim() === '') return null;
    return { file: m[1]!.trim(), page: m[2] === undefined ? null : Number(m[2]) };
  }
  if (value && typeof value === 'object' && typeof (value as { file?: unknown }).file === 'string') {
    const page = (value as { page?: unknown }).page;
    if (page !== undefined && page !== null && !(typeof page === 'number' && Number.isInteger(page) && page > 0)) return null;
    return { file: (value as { file: string }).file, page: (page as number | undefined) ?? null };
  }
  return null;
}

export interface EvaluateOptions {
  cases: readonly RetrievalCase[];
  modes: readonly SearchMode[];
  ks: readonly number[];
  chunkSize: number;
  search: (query: string, k: number, mode: SearchMode) => Promise<SearchResult>;
  signal?: AbortSignal;
}

/**
 * recall@k (share of a case's expected sources found in the top k, averaged over cases) and MRR@k
 * (1 / rank of the first relevant passage in the top k, 0 when none, averaged) for each mode and k.
 * A mode that could not run as asked (no embeddings: the search fell back to keyword) is reported
 * as not measured (null), never as 0.
 */
export async function evaluateRetrieval(o: EvaluateOptions): Promise<{ rows: RetrievalMetricRow[]; cases: RetrievalCaseResult[] }> {
  const maxK = Math.max(...o.ks);
  const rows: RetrievalMetricRow[] = [];
  const cases: RetrievalCaseResult[] = [];
  for (const mode of o.modes) {
    const perCase: Array<{ c: RetrievalCase; hits: SearchHit[] }> = [];
    let note: string | null = null;
    for (const c of o.cases) {
      if (o.signal?.aborted) break;
      const result = await o.search(c.query, maxK, mode);
      if (result.mode !== mode) {
        note = result.note ?? `${mode} search is unavailable for this collection.`;
        break;
      }
      perCase.push({ c, hits: result.hits });
    }
    for (const k of [...o.ks].sort((a, b) => a - b)) {
      if (note !== null || perCase.length === 0) {
        rows.push({ mode, k, chunkSize: o.chunkSize, recall: null, mrr: null, cases: 0, note: note ?? 'No cases.' });
        continue;
      }
      let recallSum = 0;
      let rrSum = 0;
      for (const { c, hits } of perCase) {
        const top = hits.slice(0, k);
        const found = c.expected.filter((e) => top.some((h) => hitMatches(h, e))).length;
        recallSum += c.expected.length === 0 ? 0 : found / c.expected.length;
        const first = top.findIndex((h) => c.expected.some((e) => hitMatches(h, e)));
        rrSum += first === -1 ? 0 : 1 / (first + 1);
      }
      rows.push({ mode, k, chunkSize: o.chunkSize, recall: recallSum / perCase.length, mrr: rrSum / perCase.length, cases: perCase.length, note: null });
    }
    for (const { c, hits } of perCase) {
      const first = hits.findIndex((h) => c.expected.some((e) => hitMatches(h, e)));
      cases.push({
        id: c.id,
        mode,
        chunkSize: o.chunkSize,
        firstRelevantRank: first === -1 ? null : first + 1,
        top: hits.slice(0, maxK).map((h) => ({ file: h.fileName, page: h.page })),
      });
    }
  }
  return { rows, cases };
}
