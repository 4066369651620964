import { join } from 'node:path';
import { expect, test } from './fixtures';

const STORIES_MODEL = join(import.meta.dirname, '..', '..', '..', 'shared', 'models', 'stories260K.gguf');

interface PathMessage {
  role: string;
  status: string;
  metrics: { sampling?: { maxTokens?: number } } | null;
}

test('max tokens defaults are named where they apply (chat and Compare 1,024, evals 512) and an untouched field records them', async ({ appPage: page, serve }) => {
  const imported = await serve.api<{ model: { id: string } }>('models.import', { path: STORIES_MODEL, mode: 'link' });
  expect(imported.ok, JSON.stringify(imported.error)).toBe(true);
  const ref = `local:${imported.data!.model.id}`;
  // Only the thread count is set: max tokens is left to the default the settings name.
  const created = await serve.api<{ id: string }>('chat.conversations.create', { title: 'Defaults', params: { threads: 1 } });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);
  await page.reload();

  // Chat: the settings name the default instead of a bare "default", and the field stays blank.
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Defaults', exact: true }).click();
  const model = page.getByRole('combobox', { name: 'Model', exact: true });
  await expect(model.locator(`option[value="${ref}"]`)).toHaveCount(1);
  await model.selectOption(ref);
  await expect(page.getByText('Stays on this device')).toBeVisible();
  await expect.poll(async () => (await serve.api<{ conversation: { modelRef: string | null } }>('chat.conversations.get', { id: created.data!.id })).data?.conversation.modelRef).toBe(ref);
  await page.getByRole('button', { name: 'Parameters' }).click();
  const chatMax = page.getByRole('form', { name: 'Conversation settings' }).getByRole('spinbutton', { name: 'Max tokens' });
  await expect(chatMax).toHaveAttribute('placeholder', 'default: 1,024');
  await expect(chatMax).toHaveValue('');
  // Closed again, so the conversation has the room to show the answer.
  await page.getByRole('button', { name: 'Parameters' }).click();
  await expect(chatMax).toBeHidden();

  // An answer generated without touching the field is recorded with the default it named.
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Once upon a time');
  await composer.press('Enter');
  const answer = async (): Promise<PathMessage | undefined> => {
    const view = await serve.api<{ path: PathMessage[]; generating: boolean }>('chat.conversations.get', { id: created.data!.id });
    return view.data?.generating ? undefined : view.data?.path.filter((m) => m.role === 'assistant').at(-1);
  };
  await expect.poll(async () => (await answer())?.status, { timeout: 120_000 }).toBe('complete');
  expect((await answer())!.metrics?.sampling?.maxTokens).toBe(1024);
  await expect(page.getByRole('article').first()).toContainText(/\d+ tok\/s/);

  // Compare: the same default, named, in a blank field.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compare' })).toBeVisible();
  const compareForm = page.getByRole('form', { name: 'New comparison' });
  await compareForm.getByText('System prompt and parameters').click();
  const compareMax = compareForm.getByRole('spinbutton', { name: 'Max tokens' });
  await expect(compareMax).toHaveAttribute('placeholder', 'default: 1,024');
  await expect(compareMax).toHaveValue('');

  // Evals: the run dialog names 512, and a run started without touching it records 512 in its run card.
  const content = `description: Defaults\nprompts:\n  - 'Once upon a time, {{who}}'\nproviders:\n  - id: ${ref}\ntests:\n  - vars: { who: a girl }\n    assert:\n      - type: icontains\n        value: the\n`;
  const suite = await serve.api('evals.suites.import', { format: 'yaml', content });
  expect(suite.ok, JSON.stringify(suite.error)).toBe(true);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Defaults/ }).click();
  await page.getByRole('button', { name: 'Run…' }).click();
  const dialog = page.getByRole('dialog', { name: /Run “Defaults”/ });
  const evalMax = dialog.getByRole('spinbutton', { name: 'Max tokens' });
  await expect(evalMax).toHaveAttribute('placeholder', 'default: 512');
  await expect(evalMax).toHaveValue('');
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(dialog).toBeHidden();
  const runs = await serve.api<Array<{ id: string }>>('evals.runs.list', {});
  expect(runs.ok, JSON.stringify(runs.error)).toBe(true);
  const run = await serve.api<{ runCard: { models: Array<{ id: string; params: { maxTokens?: number } }> } }>('evals.runs.get', { runId: runs.data![0]!.id });
  expect(run.data!.runCard.models.map((m) => [m.id, m.params.maxTokens])).toEqual([[ref, 512]]);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
});
