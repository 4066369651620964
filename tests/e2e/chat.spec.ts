import { join } from 'node:path';
import { expect, test } from './fixtures';

const STORIES_MODEL = join(import.meta.dirname, '..', '..', '..', 'shared', 'models', 'stories260K.gguf');

test('chat with a local model: streamed answer in an article with its metrics, then delete and undo', async ({ appPage: page, serve }) => {
  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: STORIES_MODEL, mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  const ref = `local:${imported.data!.model.id}`;
  // A short answer keeps the test quick on a busy machine; the model itself is picked in the UI below.
  const created = await serve.api('chat.conversations.create', { title: 'Story time', params: { maxTokens: 24, threads: 1, temperature: 0, seed: 1 } });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.reload();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Story time', exact: true }).click();

  const model = page.getByRole('combobox', { name: 'Model', exact: true });
  await expect(model.locator(`option[value="${ref}"]`)).toHaveCount(1);
  await model.selectOption(ref);
  await expect(page.getByText('Stays on this device')).toBeVisible();

  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Once upon a time');
  await composer.press('Enter');

  const answer = page.getByRole('article').first();
  await expect(answer).toContainText(/\w{2,}/);
  await expect(answer).toContainText(/TTFT \d+ ms · \d+ tok\/s · \d+ tokens/);
  await expect(answer).toContainText(/cpu|cuda|vulkan|metal/);
  await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();

  // The conversation is in the list, findable by search, and deletable with undo.
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: 'Story time', exact: true })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('zzz-no-match');
  await expect(list.getByRole('button', { name: 'Story time', exact: true })).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('upon a');
  await list.getByRole('button', { name: 'Delete Story time' }).click();
  await expect(list.getByRole('button', { name: 'Story time', exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  // Found through its content this time: the button also shows the matching snippet.
  await expect(list.getByRole('button', { name: /^Story time .*upon a time/ })).toBeVisible();
});

test('while an answer streams its live speed shows; with no models the Chat page leads to the Models page', async ({ appPage: page, serve }) => {
  // No model yet: an empty state with a way to the Models page, not a dead picker.
  const empty = page.getByRole('heading', { name: 'No models yet' });
  await expect(empty).toBeVisible();
  await page.getByRole('link', { name: 'Go to Models' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();

  // A model with random weights rarely stops on its own: long enough to watch it stream.
  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: join(STORIES_MODEL, '..', 'llama-2-tiny-random.gguf'), mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  const created = await serve.api('chat.conversations.create', { title: 'Live', modelRef: `local:${imported.data!.model.id}`, params: { maxTokens: 4000, threads: 1, temperature: 0, seed: 1 } });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).click();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Live', exact: true }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Go on');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const live = page.getByTestId('live-speed');
  await expect(live).toHaveText(/^~\d+(\.\d+)? tok\/s · ~\d+ tokens · TTFT \d+(\.\d+)? (ms|s)$/);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(live).toHaveCount(0);
  await expect(page.getByRole('article').first()).toContainText(/\d+ tok\/s/);
});
