import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { PDFDict, PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentInfo, IngestJob } from '../../src/shared/contract/docs';
import { DocsService } from '../../src/main/core/docs/DocsService';
import { DocumentParser } from '../../src/main/core/docs/DocumentParser';
import { EventBus } from '../../src/main/core/events/EventBus';
import { DocsRepository } from '../../src/main/core/store/DocsRepository';
import { Store } from '../../src/main/core/store/Store';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { tempDir } from '../helpers/tmp';

/**
 * Pages whose content streams hold `lines` text lines each: a few hundred KB on disk, but pdf.js
 * needs tens of MB of heap (and about a second per 100,000 lines) to extract their text.
 */
async function writeHeavyPdf(path: string, pages: number, lines: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    page.drawText(`Heavy page ${p + 1}`, { x: 50, y: 760, size: 11, font });
    const fontKey = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict).keys()[0]!.asString();
    const ops = [`BT ${fontKey} 4 Tf 20 740 Td`];
    for (let i = 0; i < lines; i++) ops.push(`(word${i}) Tj 0 -1 Td`);
    ops.push('ET');
    page.node.addContentStream(doc.context.register(doc.context.flateStream(ops.join('\n'))));
  }
  writeFileSync(path, await doc.save());
}

let dir: ReturnType<typeof tempDir>;

beforeEach(() => {
  dir = tempDir('parity-parse-worker-');
});

afterEach(() => {
  dir[Symbol.dispose]();
});

describe('DocumentParser', () => {
  it('parses PDF pages and DOCX on a worker thread, not the caller’s', async () => {
    const pdf = join(dir.path, 'two.pdf');
    await writePdf(pdf, ['First page\nwith two lines', 'Second page']);
    const docx = join(dir.path, 'memo.docx');
    await writeDocx(docx, [{ heading: 'Memo', paragraphs: ['Lunch is at noon.'] }]);

    await using parser = new DocumentParser();
    expect(parser.threadId).toBeNull();
    const pages = [];
    for await (const section of parser.pdfPages(pdf)) pages.push(section);
    expect(pages).toEqual([
      { page: 1, heading: null, text: 'First page\nwith two lines ' },
      { page: 2, heading: null, text: 'Second page ' },
    ]);
    // Set from the worker's own report when it finished the parse.
    const worker = parser.threadId;
    expect(worker).toEqual(expect.any(Number));
    expect(worker).not.toBe(threadId);

    await using docxParser = new DocumentParser();
    expect(await docxParser.docxHtml(docx)).toBe('<h1>Memo</h1><p>Lunch is at noon.</p>');
    expect(docxParser.threadId).toEqual(expect.any(Number));
    expect(docxParser.threadId).not.toBe(threadId);
  });

  it('a cancel terminates the parse mid-file; the next parse gets a fresh worker', async () => {
    const heavy = join(dir.path, 'heavy.pdf');
    await writeHeavyPdf(heavy, 4, 20_000);
    const small = join(dir.path, 'small.pdf');
    await writePdf(small, ['Small']);
    await using parser = new DocumentParser();
    for await (const _ of parser.pdfPages(small)) void _;
    const first = parser.threadId;

    const controller = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const section of parser.pdfPages(heavy, { signal: controller.signal })) {
        seen.push(section.page!);
        controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toEqual([1]);

    const again = [];
    for await (const section of parser.pdfPages(small)) again.push(section.text);
    expect(again).toEqual(['Small ']);
    expect(parser.threadId).not.toBe(first);
  });

  it('missing files keep their usual error; a disposed parser refuses work', async () => {
    const parser = new DocumentParser();
    await expect(parser.docxHtml(join(dir.path, 'gone.docx'))).rejects.toMatchObject({ code: 'ENOENT' });
    await parser.dispose();
    await expect(parser.docxHtml(join(dir.path, 'gone.docx'))).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('ingestion with the parser worker', () => {
  let store: Store;
  let bus: EventBus;
  let jobs: IngestJob[];

  beforeEach(() => {
    store = Store.open({ path: join(dir.path, 'parity.db') });
    bus = new EventBus();
    jobs = [];
    bus.on('docs.job', (e) => jobs.push(e));
  });

  afterEach(() => {
    store.dispose();
  });

  it('a parser crash (out of memory) fails only that file; the next PDF gets a new worker and is indexed', async () => {
    const folder = join(dir.path, 'mixed');
    mkdirSync(folder);
    // Sorted by name, the heavy file is parsed first: the files after it prove the worker was replaced.
    await writeHeavyPdf(join(folder, 'a-heavy.pdf'), 1, 300_000);
    await writePdf(join(folder, 'b-small.pdf'), ['Cover', 'The boiler is serviced every October.']);
    writeFileSync(join(folder, 'c-notes.txt'), 'The roof was repaired in spring.');
    // A small heap (a 2-page PDF needs under 16 MB) makes the heavy file's parse run out of memory.
    await using docs = new DocsService({ repo: new DocsRepository(store), bus, embed: null, parser: new DocumentParser({ maxMemoryMb: 24 }) });
    docs.start();
    await docs.createCollection({ name: 'Plant' });
    const { job, documents } = await docs.add('Plant', [folder], { wait: true });

    expect(job).toMatchObject({ state: 'done', filesTotal: 3, filesDone: 3, failed: 1 });
    const byName = Object.fromEntries(documents.map((d): [string, DocumentInfo] => [d.name, d]));
    expect(byName['a-heavy.pdf']).toMatchObject({ status: 'failed', chunks: 0, reason: expect.stringMatching(/ran out of memory \(limit 24 MB\).*Other files are not affected/) });
    expect(byName['b-small.pdf']).toMatchObject({ status: 'ready', pages: 2, reason: null });
    expect(byName['c-notes.txt']).toMatchObject({ status: 'ready', reason: null });
    expect((await docs.search('Plant', 'boiler serviced', { mode: 'keyword' })).hits[0]).toMatchObject({ fileName: 'b-small.pdf', page: 2 });
  });

  it('cancelling the ingestion while a PDF is parsed marks it cancelled', async () => {
    const heavy = join(dir.path, 'slow.pdf');
    await writeHeavyPdf(heavy, 6, 20_000);
    await using docs = new DocsService({ repo: new DocsRepository(store), bus, embed: null });
    docs.start();
    await docs.createCollection({ name: 'Slow' });
    const parsing = new Promise<void>((resolve) => {
      const off = bus.on('docs.progress', (e) => {
        if (e.document.status === 'parsing') {
          off();
          resolve();
        }
      });
    });
    const { job } = await docs.add('Slow', [heavy]);
    await parsing;
    expect(docs.cancel(job.jobId)).toEqual({ cancelled: true });
    await expect.poll(() => jobs.find((e) => e.jobId === job.jobId && e.state !== 'running')).toMatchObject({ state: 'cancelled' });
    expect(docs.listFiles('Slow')).toEqual([expect.objectContaining({ name: 'slow.pdf', status: 'failed', chunks: 0, reason: expect.stringMatching(/cancelled/) })]);
  });
});
