import { stat } from 'node:fs/promises';
import type { DocumentInfo } from '../../../shared/contract/docs';
import { AbortedError, AppError } from '../../../shared/errors';
import { hashFile } from '../models/hashFile';
import type { CollectionRecord, DocsRepository, NewChunk } from '../store/DocsRepository';
import { chunkText } from './chunkText';
import type { DocumentParser } from './DocumentParser';
import { DocumentUnreadableError, parseDocument } from './parseDocument';

/** Embeds texts with the collection's model; one vector per text, in order. */
export type DocsEmbedFunction = (texts: readonly string[], options: { model: string; signal?: AbortSignal }) => Promise<number[][]>;

export interface IndexDocumentOptions {
  repo: DocsRepository;
  collection: CollectionRecord;
  document: DocumentInfo;
  embed: DocsEmbedFunction | null;
  /** Parses PDF and DOCX off the main thread. */
  parser: DocumentParser;
  signal?: AbortSignal;
  onProgress: (document: DocumentInfo) => void;
  now: () => string;
  /** Chunks per write transaction: big enough to amortise the commit, small enough to keep memory flat. */
  batchSize?: number;
  embedBatchSize?: number;
}

export type IndexOutcome = 'indexed' | 'skipped' | 'failed';

/** Where text sections are joined into one extracted text, so character spans are file-wide. */
const SECTION_GAP = 2;

/**
 * Indexes one file: hash (an unchanged file is skipped), parse section by section, chunk, write in
 * batched transactions, then embed when the collection has a model. Any failure leaves the file
 * marked failed with a reason and none of its chunks, and nothing else in the collection changes.
 */
export async function indexDocument(o: IndexDocumentOptions): Promise<IndexOutcome> {
  const { repo, collection, signal } = o;
  const doc = o.document;
  try {
    const size = (await stat(doc.path)).size;
    if (size === 0) throw new DocumentUnreadableError('empty', 'The file is empty (0 bytes).', { path: doc.path });
    const sha256 = await hashFile(doc.path, { signal });
    if (doc.sha256 === sha256 && doc.indexedAt !== null) {
      o.onProgress(repo.setStatus(doc.id, 'ready'));
      return 'skipped';
    }
    repo.clearChunks(collection.id, doc.id);
    o.onProgress(repo.setStatus(doc.id, 'parsing', { sha256: null, pages: null }));
    const { chunks, pages } = await writeChunks(o);
    if (chunks === 0) {
      throw new DocumentUnreadableError(
        'no-text',
        doc.kind === 'pdf'
          ? 'The PDF has no text layer (it looks scanned). Run it through OCR and add the result.'
          : 'The file contains no text to index.',
        { path: doc.path },
      );
    }
    if (o.embed && collection.embeddingModel && repo.vectorsAvailable) {
      const embedding = repo.setStatus(doc.id, 'embedding', { pages });
      o.onProgress({ ...embedding, embeddedChunks: 0 });
      await embedChunks(o, o.embed, collection.embeddingModel, (n) => o.onProgress({ ...embedding, embeddedChunks: n }));
    }
    o.onProgress(repo.setStatus(doc.id, 'ready', { pages, sha256, indexedAt: o.now() }));
    return 'indexed';
  } catch (error) {
    repo.clearChunks(collection.id, doc.id);
    o.onProgress(repo.setStatus(doc.id, 'failed', { reason: reasonFor(error, signal), sha256: null, indexedAt: null }));
    if (signal?.aborted) throw new AbortedError('Indexing was cancelled.');
    return 'failed';
  }
}

async function writeChunks(o: IndexDocumentOptions): Promise<{ chunks: number; pages: number | null }> {
  const { repo, collection, document: doc, signal } = o;
  const batchSize = o.batchSize ?? 256;
  let batch: NewChunk[] = [];
  let seq = 0;
  let offset = 0;
  let pages: number | null = null;
  let written = 0;
  const flush = () => {
    if (batch.length === 0) return;
    written = repo.insertChunks(collection.id, doc.id, batch);
    batch = [];
    o.onProgress({ ...doc, status: 'parsing', chunks: written, pages });
  };
  for await (const section of parseDocument(doc.path, doc.kind, { signal, parser: o.parser })) {
    if (signal?.aborted) throw new AbortedError('Indexing was cancelled.');
    if (section.page !== null) pages = section.page;
    for (const span of chunkText(section.text, collection.chunkSize, collection.chunkOverlap)) {
      batch.push({ seq: seq++, page: section.page, heading: section.heading, charStart: offset + span.start, charEnd: offset + span.end, text: span.text });
      if (batch.length >= batchSize) flush();
    }
    offset += section.text.length + SECTION_GAP;
  }
  flush();
  return { chunks: written, pages };
}

async function embedChunks(o: IndexDocumentOptions, embed: DocsEmbedFunction, model: string, onEmbedded: (count: number) => void): Promise<void> {
  const size = o.embedBatchSize ?? 16;
  let after = 0;
  let count = 0;
  for (;;) {
    if (o.signal?.aborted) throw new AbortedError('Indexing was cancelled.');
    const rows = o.repo.chunkTexts(o.document.id, after, size);
    if (rows.length === 0) return;
    const vectors = await embed(
      rows.map((r) => r.text),
      { model, signal: o.signal },
    );
    o.repo.insertVectors(
      o.collection.id,
      rows.map((r, i) => ({ chunkId: r.id, vector: vectors[i]! })),
    );
    after = rows.at(-1)!.id;
    count += rows.length;
    onEmbedded(count);
  }
}

function reasonFor(error: unknown, signal: AbortSignal | undefined): string {
  if (signal?.aborted) return 'Indexing was cancelled; add the file again to index it.';
  if (error instanceof AppError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'The file no longer exists at this path.';
  if (code === 'EACCES' || code === 'EPERM') return 'Parity is not allowed to read this file; check its permissions.';
  if (code === 'EISDIR') return 'This path is a folder, not a file.';
  return `The file could not be indexed: ${error instanceof Error ? error.message : String(error)}`;
}
