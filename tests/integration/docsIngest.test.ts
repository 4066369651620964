import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentInfo, IngestJob } from '../../src/shared/contract/docs';
import { DocsService } from '../../src/main/core/docs/DocsService';
import { EventBus } from '../../src/main/core/events/EventBus';
import { DocsRepository } from '../../src/main/core/store/DocsRepository';
import { Store } from '../../src/main/core/store/Store';
import { writeDocx, writeEncryptedPdf, writePdf, writeScannedPdf } from '../helpers/docFixtures';
import { tempDir } from '../helpers/tmp';

const PDF_PAGES = [
  'Annual report 2025\nThe company opened two new offices in Lisbon and Oslo.\nHeadcount grew to 240 people.',
  'Product guarantees\nThe warranty period for every espresso machine is 36 months from delivery.\nRepairs are free during the warranty period.',
  'Outlook\nNext year the board expects modest growth in Nordic markets.',
];

let dir: ReturnType<typeof tempDir>;
let store: Store;
let bus: EventBus;
let docs: DocsService;
let progress: DocumentInfo[];
let jobEvents: IngestJob[];

beforeEach(() => {
  dir = tempDir('parity-docs-');
  store = Store.open({ path: join(dir.path, 'parity.db') });
  bus = new EventBus();
  progress = [];
  jobEvents = [];
  bus.on('docs.progress', (e) => progress.push(e.document));
  bus.on('docs.job', (e) => jobEvents.push(e));
  docs = new DocsService({ repo: new DocsRepository(store), bus, embed: null });
  docs.start();
});

afterEach(async () => {
  await docs.dispose();
  store.dispose();
  dir[Symbol.dispose]();
});

function byName(list: DocumentInfo[]): Record<string, DocumentInfo> {
  return Object.fromEntries(list.map((d) => [d.name, d]));
}

async function writeCorpus(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  await writePdf(join(folder, 'report.pdf'), PDF_PAGES);
  await writeDocx(join(folder, 'handbook.docx'), [
    { heading: 'Travel policy', paragraphs: ['Employees book trains for trips under four hours.'] },
    { heading: 'Expenses', paragraphs: ['Receipts must be uploaded within thirty days.'] },
  ]);
  writeFileSync(join(folder, 'notes.md'), '# Kitchen\nThe dishwasher runs at noon.\n\n# Parking\nVisitors park in bay seven.\n');
  writeFileSync(join(folder, 'page.html'), '<html><head><style>.x{}</style><script>var hidden = "zebra";</script></head><body><h1>Security</h1><p>Badges are renewed every January.</p></body></html>');
  writeFileSync(join(folder, 'plain.txt'), 'The fire drill is on the first Monday of each quarter.');
  writeFileSync(join(folder, 'staff.csv'), 'name,role\nAda,Treasurer\nGrace,Auditor\n');
  writeFileSync(join(folder, 'ignored.bin'), 'not a document');
}

describe('document ingestion', () => {
  it('indexes a folder of every supported type with pages, headings and chunk counts', async () => {
    await writeCorpus(join(dir.path, 'corpus'));
    await docs.createCollection({ name: 'Company' });
    const { job, documents } = await docs.add('company', [join(dir.path, 'corpus')], { wait: true });

    expect(job).toMatchObject({ state: 'done', filesTotal: 6, filesDone: 6, skipped: 0, failed: 0 });
    const files = byName(documents);
    expect(Object.keys(files).sort()).toEqual(['handbook.docx', 'notes.md', 'page.html', 'plain.txt', 'report.pdf', 'staff.csv']);
    for (const d of documents) expect([d.name, d.status, d.reason]).toEqual([d.name, 'ready', null]);
    expect(files['report.pdf']).toMatchObject({ kind: 'pdf', pages: 3, chunks: 3 });
    expect(files['handbook.docx']).toMatchObject({ kind: 'docx', pages: null, chunks: 2 });
    expect(files['report.pdf']!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Every file went through parsing before ready, and the job ended with a done event.
    expect(progress.filter((d) => d.name === 'report.pdf').map((d) => d.status)).toContain('parsing');
    expect(jobEvents.at(-1)).toMatchObject({ state: 'done', filesDone: 6 });
    expect(docs.listCollections()).toEqual([expect.objectContaining({ name: 'Company', documents: 6, chunks: documents.reduce((n, d) => n + d.chunks, 0), failed: 0 })]);
  });

  it('keyword search returns the expected passage first, with its file and page', async () => {
    await writeCorpus(join(dir.path, 'corpus'));
    await docs.createCollection({ name: 'Company' });
    await docs.add('Company', [join(dir.path, 'corpus')], { wait: true });

    const warranty = await docs.search('Company', 'How long is the warranty period?', { k: 3, mode: 'keyword' });
    expect(warranty.mode).toBe('keyword');
    expect(warranty.hits[0]).toMatchObject({ fileName: 'report.pdf', page: 2, keywordRank: 1 });
    expect(warranty.hits[0]!.text).toContain('36 months');

    const badges = await docs.search('Company', 'badges renewed', { k: 5, mode: 'keyword' });
    expect(badges.hits.map((h) => [h.fileName, h.heading])).toEqual([['page.html', 'Security']]);
    // Script and style contents are not document text.
    expect((await docs.search('Company', 'zebra', { mode: 'keyword' })).hits).toEqual([]);

    const receipts = await docs.search('Company', 'receipts', { k: 5, mode: 'keyword' });
    expect(receipts.hits.map((h) => [h.fileName, h.heading])).toEqual([['handbook.docx', 'Expenses']]);
    const parking = await docs.search('Company', 'visitors park', { k: 5, mode: 'keyword' });
    expect(parking.hits.map((h) => [h.fileName, h.heading])).toEqual([['notes.md', 'Parking']]);
    const auditor = await docs.search('Company', 'Grace auditor', { k: 5, mode: 'keyword' });
    expect(auditor.hits[0]).toMatchObject({ fileName: 'staff.csv' });
    expect(auditor.hits[0]!.text).toContain('name: Grace; role: Auditor');
  });

  it('the character span of a hit points at its text in the file', async () => {
    const path = join(dir.path, 'long.txt');
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} talks about topic${i} in some detail, with enough words to fill a line or two of text.`);
    const text = paragraphs.join('\n\n');
    writeFileSync(path, text);
    await docs.createCollection({ name: 'Long', chunkSize: 400, chunkOverlap: 80 });
    const { documents } = await docs.add('Long', [path], { wait: true });
    expect(documents[0]!.chunks).toBeGreaterThan(5);
    const hit = (await docs.search('Long', 'topic27', { k: 1, mode: 'keyword' })).hits[0]!;
    expect(text.slice(hit.charStart, hit.charEnd)).toBe(hit.text);
    expect(hit.text).toContain('topic27');
  });

  it('marks an encrypted PDF, a scanned PDF, a corrupt DOCX and a 0-byte file failed with a reason, and indexes the rest', async () => {
    const folder = join(dir.path, 'mixed');
    mkdirSync(folder);
    await writeEncryptedPdf(join(folder, 'locked.pdf'));
    await writeScannedPdf(join(folder, 'scan.pdf'));
    writeFileSync(join(folder, 'broken.docx'), 'PK\u0003\u0004 this is not a zip archive');
    writeFileSync(join(folder, 'empty.txt'), '');
    writeFileSync(join(folder, 'good.txt'), 'Quarterly revenue rose by nine percent.');
    await docs.createCollection({ name: 'Mixed' });
    const { job, documents } = await docs.add('Mixed', [folder], { wait: true });

    expect(job).toMatchObject({ state: 'done', filesDone: 5, failed: 4 });
    const files = byName(documents);
    expect(files['locked.pdf']).toMatchObject({ status: 'failed', chunks: 0, reason: expect.stringMatching(/password-protected/) });
    expect(files['scan.pdf']).toMatchObject({ status: 'failed', chunks: 0, reason: expect.stringMatching(/no text layer.*OCR/) });
    expect(files['broken.docx']).toMatchObject({ status: 'failed', chunks: 0, reason: expect.stringMatching(/DOCX cannot be read/) });
    expect(files['empty.txt']).toMatchObject({ status: 'failed', reason: 'The file is empty (0 bytes).' });
    expect(files['good.txt']).toMatchObject({ status: 'ready', chunks: 1 });
    expect((await docs.search('Mixed', 'revenue', { mode: 'keyword' })).hits.map((h) => h.fileName)).toEqual(['good.txt']);
  });

  it('skips an unchanged file by its hash and re-indexes only a changed one', async () => {
    const a = join(dir.path, 'a.txt');
    const b = join(dir.path, 'b.txt');
    writeFileSync(a, 'The cafeteria serves soup on Fridays.');
    writeFileSync(b, 'The library closes at nine.');
    await docs.createCollection({ name: 'Office' });
    const first = await docs.add('Office', [a, b], { wait: true });
    const indexedAt = byName(first.documents)['a.txt']!.indexedAt;
    const before = await docs.search('Office', 'cafeteria soup', { mode: 'keyword' });

    writeFileSync(b, 'The library now closes at ten.');
    const second = await docs.add('Office', [a, b], { wait: true });
    expect(second.job).toMatchObject({ filesDone: 2, skipped: 1, failed: 0 });
    const files = byName(second.documents);
    expect(files['a.txt']).toMatchObject({ status: 'ready', indexedAt });
    // The unchanged file kept its chunks (same ids); the changed one holds only its new text.
    expect((await docs.search('Office', 'cafeteria soup', { mode: 'keyword' })).hits[0]!.chunkId).toBe(before.hits[0]!.chunkId);
    expect((await docs.search('Office', 'nine', { mode: 'keyword' })).hits).toEqual([]);
    expect((await docs.search('Office', 'ten', { mode: 'keyword' })).hits.map((h) => h.fileName)).toEqual(['b.txt']);
    expect(docs.listFiles('Office')).toHaveLength(2);
  });

  it('cancel stops the job; a file indexed before goes back to ready, the rest say they were cancelled', async () => {
    const folder = join(dir.path, 'many');
    mkdirSync(folder);
    for (let i = 0; i < 30; i++) writeFileSync(join(folder, `f${String(i).padStart(2, '0')}.txt`), `File number ${i} mentions lighthouse${i}. `.repeat(200));
    await docs.createCollection({ name: 'Many' });
    const kept = join(dir.path, 'kept.txt');
    writeFileSync(kept, 'An earlier file about harbours.');
    await docs.add('Many', [kept], { wait: true });

    const { job } = await docs.add('Many', [kept, folder]);
    expect(docs.cancel(job.jobId)).toEqual({ cancelled: true });
    await docs.add('Many', [kept], { wait: true });
    expect(jobEvents.find((e) => e.jobId === job.jobId && e.state !== 'running')).toMatchObject({ state: 'cancelled' });
    const files = docs.listFiles('Many');
    expect(files.find((f) => f.name === 'kept.txt')).toMatchObject({ status: 'ready' });
    const cancelled = files.filter((f) => f.name !== 'kept.txt');
    expect(cancelled.length).toBe(30);
    for (const f of cancelled) expect(f).toMatchObject({ status: 'failed', chunks: 0, reason: expect.stringMatching(/cancelled/) });
    expect((await docs.search('Many', 'harbours', { mode: 'keyword' })).hits).toHaveLength(1);
    expect((await docs.search('Many', 'lighthouse3', { mode: 'keyword' })).hits).toEqual([]);
  });

  it('removing files and collections removes their passages from search', async () => {
    await writeCorpus(join(dir.path, 'corpus'));
    await docs.createCollection({ name: 'Company' });
    const { documents } = await docs.add('Company', [join(dir.path, 'corpus')], { wait: true });
    const pdf = documents.find((d) => d.name === 'report.pdf')!;
    expect(await docs.removeFiles('Company', [pdf.id])).toEqual({ removed: 1 });
    expect((await docs.search('Company', 'warranty', { mode: 'keyword' })).hits).toEqual([]);
    expect((await docs.search('Company', 'dishwasher', { mode: 'keyword' })).hits).toHaveLength(1);

    await docs.removeCollection('company');
    expect(docs.listCollections()).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) FROM doc_chunks').pluck().get()).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) FROM doc_chunks_fts WHERE doc_chunks_fts MATCH 'dishwasher'").pluck().get()).toBe(0);
  });

  it('refuses bad input before queueing anything', async () => {
    await docs.createCollection({ name: 'Strict' });
    await expect(docs.createCollection({ name: 'strict' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const good = join(dir.path, 'ok.txt');
    writeFileSync(good, 'fine');
    await expect(docs.add('Strict', [good, join(dir.path, 'missing.pdf')])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bin = join(dir.path, 'x.exe');
    writeFileSync(bin, 'MZ');
    await expect(docs.add('Strict', [bin])).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/not a supported document type/) });
    await expect(docs.add('Nope', [good])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(docs.createCollection({ name: 'Remote', embeddingModel: 'openai:text-embedding-3-small' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(docs.listFiles('Strict')).toEqual([]);
  });

  it('vector and hybrid modes fall back to keyword without an embedding model, and say so', async () => {
    writeFileSync(join(dir.path, 'n.txt'), 'Nothing but keywords here.');
    await docs.createCollection({ name: 'Plain' });
    await docs.add('Plain', [join(dir.path, 'n.txt')], { wait: true });
    const result = await docs.search('Plain', 'keywords', { mode: 'hybrid' });
    expect(result.mode).toBe('keyword');
    expect(result.note).toMatch(/no embedding model/);
    expect(result.hits).toHaveLength(1);
  });
});

describe('removing a file while its folder is being indexed', () => {
  it('stops only that file; the job goes on with the others', async () => {
    const folder = join(dir.path, 'busy');
    mkdirSync(folder);
    for (let i = 0; i < 6; i++) writeFileSync(join(folder, `f${i}.txt`), `File ${i} is about topic${i}. `.repeat(3000));
    await docs.createCollection({ name: 'Busy' });
    const { job, documents } = await docs.add('Busy', [folder]);
    // Wait until the first file is being parsed, then remove it.
    const first = documents.find((d) => d.name === 'f0.txt')!;
    await new Promise<void>((resolve) => {
      const off = bus.on('docs.progress', (e) => {
        if (e.document.id === first.id && e.document.status === 'parsing') {
          off();
          resolve();
        }
      });
    });
    expect(await docs.removeFiles('Busy', [first.id])).toEqual({ removed: 1 });
    await docs.add('Busy', [join(folder, 'f5.txt')], { wait: true });
    expect(jobEvents.filter((e) => e.jobId === job.jobId).at(-1)).toMatchObject({ state: 'done', filesTotal: 5, filesDone: 5, failed: 0 });
    const files = docs.listFiles('Busy');
    expect(files.map((f) => [f.name, f.status])).toEqual(['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt'].map((n) => [n, 'ready']));
    expect((await docs.search('Busy', 'topic0', { mode: 'keyword' })).hits).toEqual([]);
    expect((await docs.search('Busy', 'topic3', { mode: 'keyword' })).hits.length).toBeGreaterThan(0);
  });
});
