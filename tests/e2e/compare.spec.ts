import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, startServe, test, type ServeHandle } from './fixtures';

const MODELS = join(import.meta.dirname, '..', '..', '..', 'shared', 'models');
const SCREENSHOTS = 'test-results/screenshots';

async function importModel(serve: ServeHandle, file: string): Promise<string> {
  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: join(MODELS, file), mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  return `local:${imported.data!.model.id}`;
}

async function openCompare(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare' })).toBeVisible();
}

async function fillForm(page: Page, refs: string[], prompt: string): Promise<void> {
  for (const [i, ref] of refs.entries()) await page.getByRole('combobox', { name: `Model ${i + 1}` }).fill(ref);
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByText('System prompt and parameters').click();
  await page.getByRole('spinbutton', { name: 'Max tokens' }).fill('40');
  await page.getByRole('spinbutton', { name: 'Temperature' }).fill('0');
  await page.getByRole('spinbutton', { name: 'Seed' }).fill('3');
}

test('two local models stream side by side with their metrics, then a blind vote reveals names and feeds the leaderboard', async ({ appPage: page, serve }) => {
  const stories = await importModel(serve, 'stories260K.gguf');
  const tiny = await importModel(serve, 'llama-2-tiny-random.gguf');
  await openCompare(page);
  await expect(page.getByRole('heading', { name: 'No votes yet' })).toBeVisible();

  // Sighted: names and destinations visible from the start.
  await fillForm(page, [stories, tiny], 'Once upon a time');
  await expect(page.getByText('Stays on this device').first()).toBeVisible();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const a = page.getByRole('region', { name: 'Answer A' });
  const b = page.getByRole('region', { name: 'Answer B' });
  for (const [column, ref] of [
    [a, stories],
    [b, tiny],
  ] as const) {
    await expect(column.getByTestId('slot-model')).toHaveText(ref);
    await expect(column.getByText('Done', { exact: true })).toBeVisible({ timeout: 60_000 });
    await expect(column.getByTestId('slot-output')).toHaveText(/\S{2,}/);
    const metrics = column.getByRole('definition');
    await expect(metrics.nth(0)).toHaveText(/^\d+(\.\d+)? (ms|s)$/); // TTFT
    await expect(metrics.nth(1)).toHaveText(/tok\/s$/);
    await expect(metrics.nth(2)).toHaveText(/^\d+/); // tokens
    await expect(column.getByText('Stays on this device')).toBeVisible();
  }
  // Stories is a trained model: its answer reads as English.
  await expect(a.getByTestId('slot-output')).toHaveText(/\b(the|a|was|he|she|to|and)\b/i);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/compare.png`, fullPage: true, animations: 'disabled' });

  // Blind: names hidden (also from the route output) until the vote.
  await page.getByRole('switch', { name: 'Blind mode' }).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('button', { name: 'A is better' })).toBeEnabled({ timeout: 60_000 });
  await expect(a.getByTestId('slot-model')).toHaveText('Hidden until you vote');
  await expect(b.getByTestId('slot-model')).toHaveText('Hidden until you vote');
  // Nothing above or beside the answers may tell them apart: not the chosen models in the form,
  // not timing or speed (a fast local model next to a slow one is as good as a name).
  await expect(page.getByRole('combobox', { name: 'Model 1' })).toHaveCount(0);
  await expect(page.getByTestId('hidden-models')).toContainText('hidden until you vote');
  const form = page.getByRole('form', { name: 'New comparison' });
  await expect(form).not.toContainText(stories);
  await expect(form).not.toContainText(tiny);
  for (const column of [a, b]) {
    await expect(column.getByText('TTFT', { exact: true })).toHaveCount(0);
    await expect(column.getByText('Speed', { exact: true })).toHaveCount(0);
    await expect(column.getByText(/tok\/s/)).toHaveCount(0);
    await expect(column.getByRole('definition')).toHaveText(['Hidden until you vote']);
  }
  const listed = await serve.api<{ items: Array<{ id: string; refs: string[] | null; blind: boolean }> }>('compare.list', {});
  const blindSession = listed.data!.items.find((item) => item.blind)!;
  expect(blindSession.refs).toBeNull();
  const hidden = await serve.api('compare.get', { sessionId: blindSession.id });
  expect(JSON.stringify(hidden)).not.toContain(stories);
  expect(JSON.stringify(hidden)).not.toContain(tiny);
  await expect(page.getByRole('button', { name: 'B is better' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Tie' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Both bad' })).toBeVisible();

  // Keyboard only: focus the first vote button and press Enter.
  await page.getByRole('button', { name: 'A is better' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('You voted:')).toBeVisible();
  await expect(a.getByTestId('slot-model')).toHaveText(/^local:/);
  await expect(b.getByTestId('slot-model')).toHaveText(/^local:/);
  await expect(a.getByRole('definition').nth(1)).toHaveText(/tok\/s$/);
  await expect(page.getByRole('combobox', { name: 'Model 1' })).toHaveValue(stories);
  const winner = await a.getByTestId('slot-model').textContent();

  const board = page.getByRole('table', { name: 'Leaderboard' });
  await expect(board.getByRole('row')).toHaveCount(3);
  const firstRow = board.getByRole('row').nth(1);
  await expect(firstRow).toContainText(winner!);
  // One vote cannot give an interval: the board says so instead of drawing "1131 – 1131".
  await expect(firstRow).toContainText('too few votes (1 of 10)');
  await page.screenshot({ path: `${SCREENSHOTS}/compare-blind.png`, fullPage: true, animations: 'disabled' });
});

test('three answers: pick the best one; the pick is recorded and ranked', async ({ appPage: page, serve }) => {
  const stories = await importModel(serve, 'stories260K.gguf');
  const tiny = await importModel(serve, 'llama-2-tiny-random.gguf');
  await openCompare(page);
  await page.getByRole('button', { name: 'Add model' }).click();
  await fillForm(page, [stories, tiny, stories], 'The little dog');
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).press('Control+Enter');
  for (const label of ['A', 'B', 'C']) await expect(page.getByRole('region', { name: `Answer ${label}` })).toBeVisible();
  const best = page.getByRole('button', { name: 'C is best' });
  await expect(best).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'All bad' })).toBeVisible();
  await best.click();
  await expect(page.getByRole('status').filter({ hasText: 'You voted: C is best' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Answer C' }).getByText('Your pick')).toBeVisible();
  const board = page.getByRole('table', { name: 'Leaderboard' });
  // C (stories) beat B (tiny); A is stories too, and a model never plays itself.
  await expect(board.getByRole('row').nth(1)).toContainText(stories);
  await expect(board.getByRole('row').nth(1)).toContainText('1 / 0 / 0');
});

test('nothing remote is ever a default: with an OpenAI key set, Compare sends nothing until models are chosen; pickers list local models first', async ({ page }) => {
  await using fake = await FakeProviderServer.start({ wire: 'openai', key: 'sk-e2e-default-0123456789' });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-e2e-default-0123456789', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' } });
  const { url, call: api } = serve;
  await page.goto(url);
  await openCompare(page);
  // A fresh store: no local model. The fields are empty (not placeholders that get sent).
  for (const name of ['Model 1', 'Model 2']) {
    await expect(page.getByRole('combobox', { name })).toHaveValue('');
    await expect(page.getByRole('combobox', { name })).not.toHaveAttribute('placeholder', /gpt|claude|gemini/);
  }
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('Where does this prompt go?');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByText('Choose a model for Model 1.')).toBeVisible();
  await expect(page.getByText('Choose a model for Model 2.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Model 1' })).toBeFocused();
  expect((await api<{ items: unknown[] }>('compare.list', {})).items).toEqual([]);

  // With one local model, that model is the default for Model 1; Model 2 stays empty.
  const { model } = await api<{ model: { id: string } }>('models.import', { path: join(MODELS, 'stories260K.gguf'), mode: 'link' });
  await page.reload();
  await openCompare(page);
  await expect(page.getByRole('combobox', { name: 'Model 1' })).toHaveValue(`local:${model.id}`);
  await expect(page.getByRole('combobox', { name: 'Model 2' })).toHaveValue('');
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('Where does this prompt go?');
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByText('Choose a model for Model 2.')).toBeVisible();
  expect((await api<{ items: unknown[] }>('compare.list', {})).items).toEqual([]);

  // Chat starts on the local model too, and its picker groups local, keyed remote, then keyless.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).click();
  const picker = page.getByRole('combobox', { name: 'Model', exact: true });
  await expect(picker).toHaveValue(`local:${model.id}`);
  const groups = await picker.locator('optgroup').evaluateAll((els) => els.map((el) => el.getAttribute('label')));
  expect(groups).toEqual(['On this device', 'Remote (key set)', 'Remote, no key set']);
  await expect(picker.locator('optgroup').nth(0).locator('option')).toHaveText([`stories260K · F32 · local:${model.id}`]);
  await expect(picker.locator('optgroup').nth(1).locator('option').first()).toHaveText(/openai:/);

  // The library card shows the same id, with a copy button.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models', exact: true }).click();
  const card = page.getByRole('article', { name: 'stories260K' });
  await expect(card.getByTestId('model-ref')).toHaveText(`local:${model.id}`);
  await expect(card.getByRole('button', { name: `Copy local:${model.id}` })).toBeVisible();

  expect(fake.generationRequests, 'no prompt may reach a provider the user did not choose').toEqual([]);
});
