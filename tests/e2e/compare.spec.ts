import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type ServeHandle } from './fixtures';

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
  const winner = await a.getByTestId('slot-model').textContent();

  const board = page.getByRole('table', { name: 'Leaderboard' });
  await expect(board.getByRole('row')).toHaveCount(3);
  const firstRow = board.getByRole('row').nth(1);
  await expect(firstRow).toContainText(winner!);
  await expect(firstRow).toContainText(/\d+ – \d+/);
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
