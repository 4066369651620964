import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/program';
import { hitMatches, parseExpectedSource } from '../../src/main/core/docs/retrievalEval';
import type { RetrievalMetricRow } from '../../src/shared/contract/docs';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(['--data-dir', dataDir, ...args], io);
  process.exitCode = undefined;
  return { code, out, err };
}

const SUITE = `description: Handbook retrieval
collection: Office
tests:
  - description: leave
    vars: { question: How many paid leave days do we get?, expected_sources: [handbook.pdf#page=2] }
  - description: badge
    vars: { question: Which badge colour at reception?, expected_sources: [security.docx] }
  - description: laptops
    vars: { query: replacement of laptops, expected_sources: [{ file: handbook.pdf, page: 3 }] }
  - description: synonym keyword search cannot find
    vars: { question: vacation entitlement, expected_sources: [handbook.pdf#page=2] }
  - description: no expected sources, not a retrieval case
    vars: { question: Say hello }
`;

describe('retrieval evaluation', () => {
  it('parses expected sources and matches hits by file and page', () => {
    expect(parseExpectedSource('handbook.pdf#page=2')).toEqual({ file: 'handbook.pdf', page: 2 });
    expect(parseExpectedSource('notes.md')).toEqual({ file: 'notes.md', page: null });
    expect(parseExpectedSource({ file: 'a.pdf', page: 0 })).toBeNull();
    expect(parseExpectedSource(42)).toBeNull();
    expect(hitMatches({ fileName: 'Handbook.pdf', path: '/x/Handbook.pdf', page: 2 }, { file: 'handbook.pdf', page: 2 })).toBe(true);
    expect(hitMatches({ fileName: 'handbook.pdf', path: '/x/handbook.pdf', page: 3 }, { file: 'handbook.pdf', page: 2 })).toBe(false);
    expect(hitMatches({ fileName: 'handbook.pdf', path: '/x/handbook.pdf', page: 3 }, { file: 'handbook.pdf' })).toBe(true);
  });

  it('parity docs eval prints recall@k and MRR for keyword, vector and hybrid and each chunk size in one run', async () => {
    using dir = tempDir('parity-docs-eval-');
    const data = join(dir.path, 'data');
    const folder = join(dir.path, 'docs');
    mkdirSync(folder);
    await writePdf(join(folder, 'handbook.pdf'), [
      'Welcome\nThis handbook describes how the office works.',
      'Holidays\nEvery employee receives 27 days of paid leave per year.',
      'Equipment\nLaptops are replaced every four years.',
    ]);
    await writeDocx(join(folder, 'security.docx'), [{ heading: 'Visitors', paragraphs: ['Visitors sign in at reception and wear a red badge.'] }]);
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, SUITE);
    expect((await cli(data, 'docs', 'add', 'Office', folder, '--embedding-model', STORIES_MODEL)).code).toBe(0);

    const run = await cli(data, 'docs', 'eval', suite, '--k', '1,3', '--chunk-sizes', '1000,300', '--json');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as { collection: string; rows: RetrievalMetricRow[] };
    expect(report.collection).toBe('Office');
    expect(report.rows.map((r) => `${r.mode}/${r.chunkSize}/${r.k}`)).toEqual([
      'keyword/1000/1', 'keyword/1000/3', 'vector/1000/1', 'vector/1000/3', 'hybrid/1000/1', 'hybrid/1000/3',
      'keyword/300/1', 'keyword/300/3', 'vector/300/1', 'vector/300/3', 'hybrid/300/1', 'hybrid/300/3',
    ]);
    // Keyword search finds three of the four cases first and misses the synonym entirely.
    for (const r of report.rows.filter((r) => r.mode === 'keyword')) expect([r.recall, r.mrr, r.cases]).toEqual([0.75, 0.75, 4]);
    // stories260K embeds poorly: vector and hybrid are measured (not "–"), their values are not judged.
    for (const r of report.rows.filter((r) => r.mode !== 'keyword')) {
      expect(r.recall).toBeGreaterThanOrEqual(0);
      expect(r.recall).toBeLessThanOrEqual(1);
      expect(r.mrr).toBeGreaterThanOrEqual(0);
      expect(r.cases).toBe(4);
    }
    // The temporary collection for chunks of 300 is gone again.
    expect(JSON.parse((await cli(data, 'docs', 'list', '--json')).out).map((c: { name: string }) => c.name)).toEqual(['Office']);

    const table = await cli(data, 'docs', 'eval', suite, '--mode', 'keyword');
    expect(table.out).toContain('Retrieval on Office: 4 cases (Handbook retrieval)');
    expect(table.out).toMatch(/MODE\s+CHUNK\s+K\s+RECALL@K\s+MRR@K\s+CASES\nkeyword\s+1000\s+1\s+0\.750\s+0\.750\s+4\n/);
  }, 120_000);

  it('a mode that cannot run is shown as not measured, and a suite without expected sources is refused', async () => {
    using dir = tempDir('parity-docs-eval-');
    const data = join(dir.path, 'data');
    const pdf = join(dir.path, 'handbook.pdf');
    await writePdf(pdf, ['Welcome', 'Holidays\nEvery employee receives 27 days of paid leave per year.']);
    await cli(data, 'docs', 'add', 'Office', pdf);
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, SUITE);
    const run = await cli(data, 'docs', 'eval', suite, '--k', '1');
    expect(run.out).toMatch(/vector\s+1000\s+1\s+–\s+–\s+–/);
    expect(run.err).toMatch(/no embedding model/);
    const bad = join(dir.path, 'bad.yaml');
    writeFileSync(bad, 'tests:\n  - vars: { question: hi }\n');
    const refused = await cli(data, 'docs', 'eval', bad, '--collection', 'Office');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('has no test with vars.expected_sources');
  }, 60_000);
});

describe('docs.evaluateSuite (the app reads the suite file)', () => {
  it('measures from a suite path and says what is missing', async () => {
    using dir = tempDir('parity-docs-eval-');
    const { createApp } = await import('../../src/main/app');
    await using app = createApp({ dataDir: join(dir.path, 'data'), mode: 'cli', gpu: false, integrityCheck: false });
    const pdf = join(dir.path, 'handbook.pdf');
    await writePdf(pdf, ['Welcome', 'Holidays\nEvery employee receives 27 days of paid leave per year.']);
    await app.router.handle('docs.collections.create', { name: 'Office' }, { transport: 'test' });
    await app.router.handle('docs.add', { collection: 'Office', paths: [pdf], wait: true }, { transport: 'test' });
    const suite = join(dir.path, 'suite.yaml');
    writeFileSync(suite, 'tests:\n  - vars: { question: paid leave, expected_sources: [handbook.pdf#page=2] }\n');

    const noCollection = await app.router.handle('docs.evaluateSuite', { suitePath: suite }, { transport: 'test' });
    expect(noCollection).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/Name the collection/) } });
    const missing = await app.router.handle('docs.evaluateSuite', { suitePath: join(dir.path, 'nope.yaml'), collection: 'Office' }, { transport: 'test' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const result = await app.router.handle('docs.evaluateSuite', { suitePath: suite, collection: 'Office', ks: [1], modes: ['keyword'] }, { transport: 'test' });
    expect(result).toMatchObject({ ok: true, data: { collection: 'Office', caseCount: 1, rows: [{ mode: 'keyword', k: 1, recall: 1, mrr: 1, cases: 1 }] } });
  }, 60_000);
});

describe('parity eval with a suite that names a collection', () => {
  it('prints the retrieval table after the models, in the same run', async () => {
    using dir = tempDir('parity-docs-eval-');
    const data = join(dir.path, 'data');
    const pdf = join(dir.path, 'handbook.pdf');
    await writePdf(pdf, ['Welcome\nThis handbook describes the office.', 'Holidays\nEvery employee receives 27 days of paid leave per year.']);
    expect((await cli(data, 'docs', 'add', 'Office', pdf)).code).toBe(0);
    const suite = join(dir.path, 'rag.yaml');
    writeFileSync(
      suite,
      [
        'description: Handbook answers',
        'collection: Office',
        "prompts: ['{{question}}']",
        'tests:',
        '  - vars: { question: How many paid leave days?, expected_sources: [handbook.pdf#page=2] }',
        '  - vars: { question: Who is welcome?, expected_sources: [handbook.pdf#page=1] }',
        '',
      ].join('\n'),
    );
    const run = await cli(data, 'eval', suite, '--models', `local:${STORIES_MODEL}`, '--max-tokens', '2', '--threads', '1');
    expect(run.err).not.toContain('ignored: collection');
    expect(run.out).toContain('Retrieval on Office (2 cases with expected sources)');
    expect(run.out).toMatch(/keyword\s+1000\s+1\s+1\.000\s+1\.000\s+2\n/);
    expect(run.out).toMatch(/vector\s+1000\s+1\s+–\s+–\s+–/);
    expect(run.err).toMatch(/no embedding model/);
  }, 120_000);
});
