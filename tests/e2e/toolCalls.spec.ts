import { join } from 'node:path';
import { expect, test } from './fixtures';

const STORIES_MODEL = join(import.meta.dirname, '..', '..', '..', 'shared', 'models', 'stories260K.gguf');

test('a local model calls a tool (grammar-forced), the card shows it, the user answers from the mock results and the model continues', async ({ appPage: page, serve }) => {
  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: STORIES_MODEL, mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  const tools = [
    {
      name: 'get_weather',
      description: 'Forecast for a city',
      parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 12 } }, required: ['city'] },
      mockResults: [{ result: { sky: 'sunny', celsius: 21 } }],
    },
  ];
  const created = await serve.api('chat.conversations.create', {
    title: 'Weather',
    modelRef: `local:${imported.data!.model.id}`,
    params: { tools, toolChoice: { name: 'get_weather' }, maxTokens: 96, threads: 1, temperature: 0, seed: 1 },
  });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.reload();
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Weather', exact: true }).click();

  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Weather in Paris?');
  await composer.press('Enter');

  const card = page.getByRole('region', { name: 'Tool call get_weather' });
  await expect(card).toBeVisible();
  await expect(card).toContainText('arguments follow the schema');
  await expect(card).toContainText('"city"');
  await page.getByRole('button', { name: 'Fill from mock results' }).click();
  await expect(page.getByRole('textbox', { name: 'Result of get_weather' })).toHaveValue(/"sky": "sunny"/);
  await page.getByRole('button', { name: 'Send results' }).click();

  // The given result stays on the card, and the model's next answer follows it.
  await expect(card).toContainText('Result given');
  await expect(page.getByRole('article')).toHaveCount(2);
  await expect(page.getByRole('article').nth(1)).toContainText(/TTFT \d+ ms/);
});

test('compare: each answer shows its tool call; answering one lets that model continue in its column', async ({ appPage: page, serve }) => {
  const refs: string[] = [];
  for (const file of ['stories260K.gguf', 'llama-2-tiny-random.gguf']) {
    const imported = await serve.api<{ model: { id: string } }>('models.import', { path: join(STORIES_MODEL, '..', file), mode: 'link' });
    expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
    refs.push(`local:${imported.data!.model.id}`);
  }
  const tools = [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string', maxLength: 8 } }, required: ['q'] } }];
  const started = await serve.api<{ id: string }>('compare.start', { prompt: 'Look it up', refs, params: { tools, toolChoice: { name: 'lookup' }, maxTokens: 96, threads: 1, temperature: 0, seed: 2 } });
  expect(started.ok, JSON.stringify(started.error)).toBe(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare', exact: true }).click();
  await page.getByRole('button', { name: /^Look it up/ }).click();

  const a = page.getByRole('region', { name: 'Answer A' });
  const b = page.getByRole('region', { name: 'Answer B' });
  await expect(a.getByRole('region', { name: 'Tool call lookup' })).toBeVisible({ timeout: 60_000 });
  await expect(b.getByRole('region', { name: 'Tool call lookup' })).toBeVisible({ timeout: 60_000 });
  await a.getByRole('textbox', { name: 'Result of lookup' }).fill('{"found": "a cat"}');
  await a.getByRole('button', { name: 'Send results' }).click();
  await expect(a.getByRole('region', { name: 'Tool call lookup' })).toContainText('Result given');
  // B was not answered: its field is still there.
  await expect(b.getByRole('textbox', { name: 'Result of lookup' })).toBeVisible();
});
