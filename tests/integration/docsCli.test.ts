import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/program';
import type { DocumentInfo, SearchResult } from '../../src/shared/contract/docs';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { tempDir } from '../helpers/tmp';

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
    // Page 3 matches warning, light and blink (by its stem), page 4 only warranty; "the" is in both and on page 1.
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
});
