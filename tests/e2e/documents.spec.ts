import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { expect, test } from './fixtures';

test('creates a collection, adds a folder with a PDF and a DOCX by path, shows each file, finds a passage by page, removes a file', async ({ appPage: page, serve }) => {
  const folder = join(serve.dataDir, '..', `docs-e2e-${Date.now()}`);
  mkdirSync(folder, { recursive: true });
  await writePdf(join(folder, 'handbook.pdf'), [
    'Welcome\nThis handbook describes how the office works.',
    'Holidays\nEvery employee receives 27 days of paid leave per year.',
    'Equipment\nLaptops are replaced every four years.',
  ]);
  await writeDocx(join(folder, 'security.docx'), [{ heading: 'Visitors', paragraphs: ['Visitors sign in at reception and wear a red badge.'] }]);
  writeFileSync(join(folder, 'blank.txt'), '');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Documents' })).toBeVisible();
  await expect(page.getByText('No collections yet', { exact: true }).first()).toBeVisible();

  const create = page.getByRole('form', { name: 'New collection' });
  await create.getByLabel('Name').fill('Office');
  await expect(create.getByLabel('Embedding model')).toHaveValue('');
  await create.getByRole('button', { name: 'Create collection' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Office' })).toBeVisible();
  await expect(page.getByText('No embedding model: keyword search only', { exact: false })).toBeVisible();
  await expect(page.getByText('No files in this collection yet.')).toBeVisible();

  await page.getByLabel('File or folder path').fill(folder);
  await page.getByRole('form', { name: 'Add files' }).getByRole('button', { name: 'Add', exact: true }).click();

  const files = page.getByRole('list', { name: 'Files in this collection' });
  const pdf = files.getByRole('listitem', { name: 'handbook.pdf' });
  const docx = files.getByRole('listitem', { name: 'security.docx' });
  const blank = files.getByRole('listitem', { name: 'blank.txt' });
  await expect(pdf.getByText('Ready')).toBeVisible();
  await expect(pdf.getByText(/3 pages · 3 chunks/)).toBeVisible();
  await expect(docx.getByText('Ready')).toBeVisible();
  await expect(docx.getByText(/1 chunk$/)).toBeVisible();
  await expect(blank.getByText('Failed')).toBeVisible();
  await expect(blank.getByText('The file is empty (0 bytes).')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Indexing finished.' })).toContainText('2 indexed, 0 unchanged, 1 failed.');
  await expect(page.getByRole('button', { name: /Office 3 files · 4 chunks · 1 failed/ })).toBeVisible();

  const search = page.getByRole('region', { name: 'Search this collection' });
  await search.getByLabel('Query').fill('how many days of paid leave?');
  await search.getByRole('button', { name: 'Search' }).click();
  const first = search.getByRole('list', { name: 'Search results' }).getByRole('listitem').first();
  await expect(first).toContainText('handbook.pdf, page 2');
  await expect(first).toContainText('27 days of paid leave');

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/documents.png' });

  // Removing asks first; Keep leaves the file.
  await blank.getByRole('button', { name: 'Remove blank.txt' }).click();
  await blank.getByRole('button', { name: 'Keep' }).click();
  await expect(blank).toBeVisible();
  await blank.getByRole('button', { name: 'Remove blank.txt' }).click();
  await blank.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(blank).toBeHidden();
  const listed = await serve.api<{ documents: Array<{ name: string }> }>('docs.files.list', { collection: 'Office' });
  expect(listed.data?.documents.map((d) => d.name)).toEqual(['handbook.pdf', 'security.docx']);
});
