import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, isLoopbackUrl, startServe, test } from './fixtures';

const KEY = 'sk-e2e-SECRET-0123456789abcdefWXYZ';

test('Settings → Providers: a saved key shows only its last four, the page never receives it; audit verifies', async ({ page }) => {
  await using fake = await FakeProviderServer.start({ wire: 'openai', key: KEY });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' } });
  const { url } = serve;
  const received: string[] = [];
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!isLoopbackUrl(r.url())) foreign.push(r.url());
  });
  page.on('response', async (r) => {
    if (r.url().includes('/api/')) received.push(await r.text().catch(() => ''));
  });
  page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const providers = page.getByRole('region', { name: 'Providers' });
  await expect(providers.getByTestId('key-protection')).toContainText('AES-256-GCM');
  const card = providers.getByLabel('OpenAI', { exact: true });
  await expect(card.getByTestId('key-status-openai')).toContainText('No key set');
  await card.getByLabel('API key').fill(KEY);
  await card.getByRole('button', { name: 'Save key' }).click();
  await expect(card.getByTestId('key-status-openai')).toHaveText('Key set (…WXYZ)');
  await expect(card.getByLabel('API key')).toHaveValue('');

  // Add a compat endpoint from a preset, then remove it.
  const form = providers.getByRole('form', { name: 'Add an OpenAI-compatible endpoint' });
  await form.getByLabel('Preset').selectOption('ollama');
  await form.getByLabel('Models', { exact: true }).fill('llama3.2');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const ollama = providers.getByLabel('ollama', { exact: true });
  await expect(ollama).toContainText('Sent to localhost:11434');
  await ollama.getByRole('button', { name: 'Remove endpoint' }).click();
  await expect(ollama).toHaveCount(0);

  // The price table shows dated defaults; a new price can be added for a compat model.
  await expect(providers.getByRole('rowheader', { name: 'openai:gpt-4o-mini' })).toBeVisible();
  const addPrice = providers.getByRole('form', { name: 'Add a price' });
  await addPrice.getByLabel('Model ref to price').fill('compat:groq/llama-3.1-8b-instant');
  await addPrice.getByLabel('New price input $/1M').fill('0.05');
  await addPrice.getByLabel('New price output $/1M').fill('0.08');
  await addPrice.getByRole('button', { name: 'Add price' }).click();
  await expect(providers.getByRole('rowheader', { name: 'compat:groq/llama-3.1-8b-instant' })).toBeVisible();

  await providers.getByRole('button', { name: 'Verify chain' }).click();
  await expect(providers.getByTestId('audit-verify')).toHaveText('Chain intact (0 rows)');
  const download = page.waitForEvent('download');
  await providers.getByRole('button', { name: 'Export JSON' }).click();
  expect((await download).suggestedFilename()).toMatch(/^parity-audit-.*\.json$/);

  // Saving a key and browsing settings contacted nobody.
  expect(fake.requests).toHaveLength(0);
  expect(foreign).toEqual([]);
  expect(received.length).toBeGreaterThan(3);
  for (const body of received) expect(body.includes(KEY.slice(4, 20))).toBe(false);
});
