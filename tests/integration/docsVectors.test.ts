import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, type Llama, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocsService } from '../../src/main/core/docs/DocsService';
import { AppError } from '../../src/shared/errors';
import { LocalEmbedder } from '../../src/main/core/evals/LocalEmbedder';
import { EventBus } from '../../src/main/core/events/EventBus';
import { DocsRepository } from '../../src/main/core/store/DocsRepository';
import { Store } from '../../src/main/core/store/Store';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

// stories260K embeds poorly: these tests check plumbing (vec0 table, dims, fusion) and determinism, not quality.
let llama: Llama;
let model: LlamaModel;
let embedder: LocalEmbedder;
const dir = tempDir('parity-docs-vec-');
let store: Store;
let docs: DocsService;
const bus = new EventBus();

const PASSAGES = [
  'Once upon a time there was a little girl named Lily. She loved to play in the park with her ball.',
  'Tom had a big red truck. He drove it around the garden every morning before breakfast.',
  'The cat sat on the warm mat and looked at the birds in the tall green tree.',
];

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never' });
  model = await llama.loadModel({ modelPath: STORIES_MODEL });
  embedder = new LocalEmbedder({ loadModel: async () => model, threads: 1 });
  store = Store.open({ path: join(dir.path, 'parity.db') });
  docs = new DocsService({
    repo: new DocsRepository(store),
    bus,
    embed: async (texts, { model: ref, signal }) => (await embedder.embedWithUsage(texts, { model: ref, signal, truncate: true })).vectors,
  });
  docs.start();
  PASSAGES.forEach((p, i) => writeFileSync(join(dir.path, `story${i}.txt`), p));
  // A chunk far longer than the 512-token embedding context is embedded by its start, not refused.
  writeFileSync(join(dir.path, 'long.txt'), 'The dog ran and ran. '.repeat(120));
}, 60_000);

afterAll(async () => {
  await docs.dispose();
  await embedder.dispose();
  await model.dispose();
  await llama.dispose();
  store.dispose();
  dir[Symbol.dispose]();
});

describe('vector search with a local embedding model', () => {
  it('embeds every chunk into the collection vec0 table with the model dimension', async () => {
    expect(docs.vectorsAvailable).toBe(true);
    await docs.createCollection({ name: 'Stories', embeddingModel: 'local:stories', chunkSize: 3000, chunkOverlap: 0 });
    const embedded: number[] = [];
    const off = bus.on('docs.progress', ({ document }) => {
      if (document.name === 'long.txt' && document.status === 'embedding') embedded.push(document.embeddedChunks ?? -1);
    });
    const { documents, job } = await docs.add('Stories', [dir.path], { wait: true });
    off();
    // Embedding reports how far it got: from 0 up to every chunk of the file.
    expect(embedded[0]).toBe(0);
    expect(embedded.at(-1)).toBe(documents.find((d) => d.name === 'long.txt')!.chunks);
    expect(documents.map((d) => [d.name, d.status, d.reason])).toEqual(['long.txt', 'story0.txt', 'story1.txt', 'story2.txt'].map((n) => [n, 'ready', null]));
    expect(job).toMatchObject({ state: 'done', failed: 0 });
    const chunks = store.db.prepare('SELECT COUNT(*) FROM doc_chunks').pluck().get();
    const collection = store.db.prepare("SELECT id, embedding_dims FROM doc_collections WHERE name = 'Stories'").get() as { id: number; embedding_dims: number };
    expect(collection.embedding_dims).toBe(model.embeddingVectorSize);
    expect(store.db.prepare(`SELECT COUNT(*) FROM doc_vec_${collection.id}`).pluck().get()).toBe(chunks);
    // The background integrity check opens the file without the vector extension: the vec0 table must not trip it.
    expect(await store.checkIntegrity()).toMatchObject({ integrity: 'ok', readOnly: false });
  }, 60_000);

  it('a passage searched by its own text is the nearest vector, and repeated searches agree', async () => {
    const first = await docs.search('Stories', PASSAGES[1]!, { k: 3, mode: 'vector' });
    expect(first.mode).toBe('vector');
    expect(first.note).toBeNull();
    expect(first.hits[0]).toMatchObject({ fileName: 'story1.txt', vectorRank: 1, keywordRank: null });
    expect(first.hits[0]!.score).toBeCloseTo(1, 4);
    const again = await docs.search('Stories', PASSAGES[1]!, { k: 3, mode: 'vector' });
    expect(again.hits.map((h) => [h.chunkId, h.score])).toEqual(first.hits.map((h) => [h.chunkId, h.score]));
  }, 60_000);

  it('hybrid fuses both rankings by reciprocal rank', async () => {
    const result = await docs.search('Stories', 'red truck garden', { k: 4, mode: 'hybrid' });
    expect(result.mode).toBe('hybrid');
    const top = result.hits[0]!;
    expect(top.fileName).toBe('story1.txt');
    expect(top.keywordRank).toBe(1);
    const expected = 1 / (60 + top.keywordRank!) + (top.vectorRank === null ? 0 : 1 / (60 + top.vectorRank));
    expect(top.score).toBeCloseTo(expected, 10);
    for (let i = 1; i < result.hits.length; i++) expect(result.hits[i]!.score).toBeLessThanOrEqual(result.hits[i - 1]!.score);
  }, 60_000);

  it('falls back to keyword results, saying why, when the embedding model fails', async () => {
    const broken = new DocsService({
      repo: new DocsRepository(store),
      bus,
      embed: async () => {
        throw new AppError('NOT_FOUND', 'Model "stories" is not in the library.');
      },
    });
    broken.start();
    const result = await broken.search('Stories', 'red truck', { k: 2, mode: 'hybrid' });
    expect(result.mode).toBe('keyword');
    expect(result.note).toBe('Vector search failed (Model "stories" is not in the library.). Showing keyword results.');
    expect(result.hits[0]).toMatchObject({ fileName: 'story1.txt', keywordRank: 1, vectorRank: null });
    await broken.dispose();
  });

  it('removing a file removes its vectors', async () => {
    const files = docs.listFiles('Stories');
    const story1 = files.find((f) => f.name === 'story1.txt')!;
    await docs.removeFiles('Stories', [story1.id]);
    const result = await docs.search('Stories', PASSAGES[1]!, { k: 5, mode: 'vector' });
    expect(result.hits.map((h) => h.fileName)).not.toContain('story1.txt');
    expect(result.hits).toHaveLength(3);
  }, 60_000);
});
