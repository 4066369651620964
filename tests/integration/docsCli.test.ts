import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/program';
import type { DocumentInfo, SearchResult } from '../../src/shared/contract/docs';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await runCli(['--data-dir', dataDir, ...args], io);
  // runCli reports through process.exitCode; clear it so the next command (and vitest) start clean.
  process.exitCode = undefined;
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('parity docs (CLI)', () => {
  it('adds a folder, lists it, finds the expected passage first, cites the PDF page, and removes files and the collection', async () => {
    using dir = tempDir('parity-docs-cli-');
    const data = join(dir.path, 'data');
    const folder = join(dir.path, 'policies');
    mkdirSync(folder);
    await writePdf(join(folder, 'manual.pdf'), [
      'Chapter 1\nUnpacking the printer and removing the orange shipping tape.',
      'Chapter 2\nLoading paper: the tray holds 250 sheets of A4 paper.',
      'Chapter 3\nReplacing the toner cartridge when the warning light blinks amber.',
      'Chapter 4\nThe warranty covers the fuser unit for two years.',
    ]);
    await writeDocx(join(folder, 'onboarding.docx'), [{ heading: 'First day', paragraphs: ['Collect your laptop from the service desk on floor three.'] }]);
    writeFileSync(join(folder, 'faq.md'), '# Wifi\nThe guest network password changes weekly.\n');

    const add = await cli(data, 'docs', 'add', 'Office', folder);
    expect(add.code).toBe(0);
    expect(add.err).toContain('Created collection Office (keyword search only: no embedding model).');
    expect(add.err).toMatch(/ready\s+manual\.pdf \(4 pages, 4 chunks\)/);
    expect(add.out).toBe('3 indexed, 0 unchanged, 0 failed.\n');

    const again = await cli(data, 'docs', 'add', 'office', folder);
    expect(again.out).toBe('0 indexed, 3 unchanged, 0 failed.\n');

    const list = await cli(data, 'docs', 'list');
    expect(list.out).toMatch(/^NAME\s+FILES\s+CHUNKS\s+FAILED\s+EMBEDDINGS\nOffice\s+3\s+6\s+0\s+none \(keyword only\)\n$/);

    const search = await cli(data, 'docs', 'search', 'Office', 'Does the warning light blink during the warranty?', '--k', '2', '--mode', 'keyword', '--json');
    expect(search.code).toBe(0);
    const result = JSON.parse(search.out) as SearchResult;
    // Page 3 matches warning, light and blink (by its stem), page 4 only warranty; "does" and "the" are left out.
    expect(result.hits.map((h) => [h.fileName, h.page])).toEqual([
      ['manual.pdf', 3],
      ['manual.pdf', 4],
    ]);
    expect(result.hits[0]!.text).toBe('Chapter 3\nReplacing the toner cartridge when the warning light blinks amber.');

    const text = await cli(data, 'docs', 'search', 'Office', 'laptop service desk', '--mode', 'keyword');
    expect(text.out.split('\n')[0]).toMatch(/^\[1\] onboarding\.docx › First day {2}\(score /);

    // Hybrid without embeddings says it fell back, on stderr, and still answers.
    const hybrid = await cli(data, 'docs', 'search', 'Office', 'guest network password');
    expect(hybrid.err).toMatch(/no embedding model.*keyword results/);
    expect(hybrid.out).toMatch(/^\[1\] faq\.md › Wifi/);

    const files = JSON.parse((await cli(data, 'docs', 'list', 'Office', '--json')).out) as DocumentInfo[];
    expect(files.map((f) => f.name)).toEqual(['faq.md', 'manual.pdf', 'onboarding.docx']);
    expect((await cli(data, 'docs', 'rm', 'Office', 'manual.pdf')).out).toBe('Removed 1 file from Office.\n');
    const gone = JSON.parse((await cli(data, 'docs', 'search', 'Office', 'toner', '--mode', 'keyword', '--json')).out) as SearchResult;
    expect(gone.hits).toEqual([]);
    expect((await cli(data, 'docs', 'rm', 'Office')).out).toContain('Removed collection Office');
    expect((await cli(data, 'docs', 'list')).out).toContain('No collections yet.');
  });

  it('exits 1 when a file fails and 2 on a bad mode; errors name what to do', async () => {
    using dir = tempDir('parity-docs-cli-');
    const data = join(dir.path, 'data');
    const empty = join(dir.path, 'empty.txt');
    writeFileSync(empty, '');
    const add = await cli(data, 'docs', 'add', 'Bad', empty);
    expect(add.code).toBe(1);
    expect(add.err).toContain('failed   empty.txt: The file is empty (0 bytes).');
    expect((await cli(data, 'docs', 'search', 'Bad', 'x', '--mode', 'semantic')).code).toBe(2);
    const missing = await cli(data, 'docs', 'search', 'Nope', 'x');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Collection "Nope" was not found.');
    const rm = await cli(data, 'docs', 'rm', 'Bad', 'other.txt');
    expect(rm.err).toContain('No file "other.txt" in Bad');
  });

  it('chat --collection answers from the collection and lists the cited file and page; a remote model needs --send-documents', async () => {
    using dir = tempDir('parity-docs-cli-');
    const data = join(dir.path, 'data');
    const pdf = join(dir.path, 'handbook.pdf');
    await writePdf(pdf, ['Welcome\nThis handbook describes the office.', 'Holidays\nEvery employee receives 27 days of paid leave per year.']);
    expect((await cli(data, 'docs', 'add', 'Office', pdf)).code).toBe(0);

    const local = await cli(data, 'chat', '--model', STORIES_MODEL, '--collection', 'Office', '--max-tokens', '8', '--threads', '1', '--temperature', '0', '--json', 'How many days of paid leave?');
    expect(local.code).toBe(0);
    const answer = JSON.parse(local.out) as { sources: Array<{ n: number; file: string; page: number | null; collection: string }> };
    expect(answer.sources[0]).toMatchObject({ n: 1, file: 'handbook.pdf', page: 2, collection: 'Office' });

    const text = await cli(data, 'chat', '--model', STORIES_MODEL, '--collection', 'office', '--max-tokens', '4', '--threads', '1', 'paid leave');
    expect(text.err).toMatch(/Sources:\n\[1\] handbook\.pdf, page 2\n/);

    const remote = await cli(data, '--offline', 'chat', '--model', 'openai:gpt-4o-mini', '--collection', 'Office', 'How many days of paid leave?');
    expect(remote.code).toBe(1);
    expect(remote.err).toMatch(/Add --send-documents to allow it.*Nothing was sent/);
    const audit = JSON.parse((await cli(data, 'audit', '--json')).out) as { rows: Array<{ purpose: string }> };
    expect(audit.rows.filter((r) => r.purpose === 'documents')).toEqual([]);

    await cli(data, '--offline', 'chat', '--model', 'openai:gpt-4o-mini', '--collection', 'Office', '--send-documents', 'How many days of paid leave?');
    const after = JSON.parse((await cli(data, 'audit', '--json')).out) as { rows: Array<{ purpose: string; model: string; promptText: string }> };
    const rows = after.rows.filter((r) => r.purpose === 'documents');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.promptText)).toMatchObject({ collections: ['Office'], chunkIds: [expect.any(Number)] });
  }, 60_000);
});
