import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, startServe, test } from './fixtures';

const STORIES_MODEL = join(import.meta.dirname, '..', '..', '..', 'shared', 'models', 'stories260K.gguf');

const HANDBOOK_PAGES = [
  'Welcome\nThis handbook describes how the office works.',
  'Holidays\nEvery employee receives 27 days of paid leave per year.',
  'Equipment\nLaptops are replaced every four years.',
];

/** The office's files in a folder inside the data folder (so the fixture removes it with the rest): a handbook PDF and, unless `pdfOnly`, a DOCX. */
async function writeOfficeFolder(dataDir: string, { pages = HANDBOOK_PAGES, pdfOnly = false } = {}): Promise<string> {
  const folder = join(dataDir, 'e2e-documents');
  mkdirSync(folder, { recursive: true });
  await writePdf(join(folder, 'handbook.pdf'), pages);
  if (!pdfOnly) await writeDocx(join(folder, 'security.docx'), [{ heading: 'Visitors', paragraphs: ['Visitors sign in at reception and wear a red badge.'] }]);
  return folder;
}

test('creates a collection, adds a folder with a PDF and a DOCX by path, shows each file, finds a passage by page, removes a file', async ({ appPage: page, serve }) => {
  const folder = await writeOfficeFolder(serve.dataDir);
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

  // Measure retrieval with a suite: keyword finds both cases first; vector is not measured (no embedding model).
  const suite = join(serve.dataDir, 'retrieval.yaml');
  writeFileSync(
    suite,
    'description: Handbook\ntests:\n  - vars: { question: paid leave days, expected_sources: [handbook.pdf#page=2] }\n  - vars: { question: red badge, expected_sources: [security.docx] }\n',
  );
  const measure = page.getByRole('region', { name: 'Measure retrieval' });
  await measure.getByLabel('Suite file path').fill(suite);
  await measure.getByLabel('k (passages)').fill('1, 3');
  await measure.getByRole('button', { name: 'Measure' }).click();
  const metrics = measure.getByRole('table', { name: 'Retrieval metrics' });
  await expect(metrics.getByRole('row', { name: 'keyword 1000 1 1.000 1.000' })).toBeVisible();
  await expect(metrics.getByRole('row', { name: 'vector 1000 3 – –' })).toBeVisible();
  await expect(measure.getByRole('status')).toHaveText('2 cases (Handbook) on Office');

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/documents.png', fullPage: true });

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

test('asks a collection in chat: the answer cites the right file and page, and shows what the model saw', async ({ appPage: page, serve }) => {
  const folder = await writeOfficeFolder(serve.dataDir);

  // The collection is made in the UI; the (tiny, nonsense-writing) model and its conversation through the API.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Documents', exact: true }).click();
  const create = page.getByRole('form', { name: 'New collection' });
  await create.getByLabel('Name').fill('Office');
  await create.getByRole('button', { name: 'Create collection' }).click();
  await page.getByLabel('File or folder path').fill(folder);
  await page.getByRole('form', { name: 'Add files' }).getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('listitem', { name: 'handbook.pdf' }).getByText('Ready')).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'security.docx' }).getByText('Ready')).toBeVisible();

  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: STORIES_MODEL, mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  const created = await serve.api('chat.conversations.create', { title: 'Ask the handbook', modelRef: `local:${imported.data!.model.id}`, params: { maxTokens: 24, threads: 1, temperature: 0 } });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Ask the handbook', exact: true }).click();
  await page.getByRole('button', { name: 'Documents', exact: true }).click();
  await page.getByRole('group', { name: 'Collections this conversation answers from' }).getByRole('checkbox', { name: /Office/ }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Answers cite passages from Office.' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Message' }).fill('How many days of paid leave do employees get?');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const answer = page.getByRole('article', { name: 'Answer' }).last();
  const sources = answer.getByRole('region', { name: 'Sources' });
  const first = sources.getByRole('button', { name: '[1] handbook.pdf, page 2' });
  await expect(first).toBeVisible();
  await expect(answer.getByText(/tok\/s/)).toBeVisible();
  await first.click();
  await expect(sources.getByRole('blockquote', { name: 'Passage 1' })).toContainText('27 days of paid leave');

  await sources.getByText('What the model saw').click();
  const table = sources.getByRole('table', { name: 'Retrieved passages' });
  await expect(table.getByRole('row').nth(1)).toContainText('handbook.pdf, page 2');
  await expect(sources.getByLabel('Final prompt')).toContainText('[1] handbook.pdf, page 2');
  await expect(sources.getByLabel('Final prompt')).toContainText('user:\nHow many days of paid leave do employees get?');
  await expect(sources).toContainText('stayed on this device');
  await page.screenshot({ path: 'test-results/screenshots/documents-chat.png' });
});

test('a [n] in the answer is a button named after its source that opens the passage; other brackets stay text', async ({ page }) => {
  const KEY = 'sk-e2e-CITE-0123456789abcdef';
  // A remote model stands in for one that cites as asked: the tiny local models never write "[1]".
  await using fake = await FakeProviderServer.start({
    wire: 'openai',
    key: KEY,
    reply: { chunks: ['Employees receive 27 days of paid leave ', '[1]', '. Nothing is numbered [9]; in code, `[1]` stays.'], usage: { input: 40, output: 20 } },
  });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: KEY } });
  const { url, dataDir, call: api } = serve;
  const folder = await writeOfficeFolder(dataDir, { pages: HANDBOOK_PAGES.slice(0, 2), pdfOnly: true });
  await api('docs.collections.create', { name: 'Office' });
  await api('docs.add', { collection: 'Office', paths: [folder], wait: true });
  const conversation = await api<{ id: string }>('chat.conversations.create', { title: 'Leave', modelRef: 'openai:gpt-4o-mini' });
  await api('docs.chat.set', { conversationId: conversation.id, collections: ['Office'] });

  await page.goto(url);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Leave', exact: true }).click();
  // Passages go to a remote model only after this conversation allows it.
  await page.getByRole('button', { name: 'Allow for this conversation' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('How many days of paid leave do employees get?');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const answer = page.getByRole('article', { name: 'Answer' }).last();
  await expect(answer).toContainText('Nothing is numbered [9]');
  const cite = answer.getByRole('button', { name: 'Source 1: handbook.pdf, page 2' });
  await expect(cite).toHaveText('[1]');
  await expect(answer.getByRole('code')).toHaveText('[1]');
  await expect(answer.locator('.chat-markdown').getByRole('button')).toHaveCount(1);
  await cite.click();
  const passage = answer.getByRole('region', { name: 'Sources' }).getByRole('blockquote', { name: 'Passage 1' });
  await expect(passage).toContainText('handbook.pdf, page 2 · Office');
  await expect(passage).toContainText('Every employee receives 27 days of paid leave per year.');
  await expect(passage).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/documents-citation.png' });
});
