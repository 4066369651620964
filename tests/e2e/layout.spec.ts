import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, startServe, test } from './fixtures';

const ROOT = join(import.meta.dirname, '..', '..');
const STORIES_MODEL = join(ROOT, '..', 'shared', 'models', 'stories260K.gguf');
const SCREENSHOTS = 'test-results/screenshots';
const KEY = 'sk-e2e-layout-0123456789abcdef';

/** Everything `locator` covers is on screen horizontally and inside `container`: nothing hides behind a scroll. */
async function expectInside(locator: Locator, container: Locator, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = (await locator.boundingBox())!;
  const outer = (await container.boundingBox())!;
  const viewport = locator.page().viewportSize()!;
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(box.x, `${what} starts inside its container`).toBeGreaterThanOrEqual(outer.x - 0.5);
  expect(box.x + box.width, `${what} ends inside its container`).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
  expect(box.x + box.width, `${what} ends inside the viewport`).toBeLessThanOrEqual(viewport.width);
}

/** The element does not scroll sideways: what it holds fits its width. */
async function expectNoSideScroll(locator: Locator, what: string): Promise<void> {
  const { scrollWidth, clientWidth } = await locator.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, `${what} has no hidden horizontal overflow`).toBeLessThanOrEqual(clientWidth + 1);
}

async function go(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('at 1280×800 the scorecard, the run card and the audit table fit (or wrap) with every column visible', async ({ page }) => {
  expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await using fake = await FakeProviderServer.start({ wire: 'openai', key: KEY });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' } });
  const { url, call: api } = serve;
  const { model } = await api<{ model: { id: string } }>('models.import', { path: STORIES_MODEL, mode: 'link' });
  const yaml = readFileSync(join(ROOT, 'tests', 'fixtures', 'suites', 'stories.yaml'), 'utf8').replace('local:STORIES', `local:${model.id}`);
  const suite = await api<{ id: string; name: string }>('evals.suites.import', { format: 'yaml', content: yaml });
  const run = await api<{ id: string }>('evals.runs.start', {
    suiteId: suite.id,
    models: [`local:${model.id}`, 'openai:gpt-4o-mini'],
    params: { temperature: 0.7, maxTokens: 24, seed: 123456, topP: 0.95, topK: 40, repeatPenalty: 1.1 },
  });
  await expect.poll(async () => (await api<{ status: string }>('evals.runs.get', { runId: run.id })).status, { timeout: 90_000 }).toBe('completed');

  await page.goto(url);
  await go(page, 'Evals');
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: new RegExp(suite.name) }).click();
  await page.getByRole('tab', { name: /Runs/ }).click();
  await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().click();
  await expect(page.getByTestId('run-status')).toHaveText('completed');

  const scorecard = page.getByRole('table', { name: 'Scorecard' });
  const scorecardBox = scorecard.locator('xpath=..');
  await expectNoSideScroll(scorecardBox, 'the scorecard');
  for (const name of ['Model', /^Pass rate/, /^TTFT/, 'Decode', /^Latency/, /^Tokens/, 'Cost', /^Cost \/ success/, 'JSON valid', 'Refusals']) {
    await expectInside(scorecard.getByRole('columnheader', { name, exact: typeof name === 'string' }), scorecardBox, `scorecard column ${String(name)}`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}/layout-scorecard.png`, animations: 'disabled' });

  const card = page.locator('.evals-runcard');
  await expectNoSideScroll(card, 'the run card');
  const models = page.getByRole('table', { name: 'Models in this run' });
  for (const name of ['Model', 'Parameters', 'Seed per repeat']) await expectInside(models.getByRole('columnheader', { name, exact: true }), card, `run card column ${name}`);
  for (const cell of await models.getByRole('cell').all()) await expectInside(cell, card, 'a run card cell');
  await expectInside(card.getByRole('definition').filter({ hasText: '"seed"' }).first(), card, 'the run parameters');
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/layout-runcard.png`, animations: 'disabled' });

  await go(page, 'Settings');
  const audit = page.getByRole('table', { name: /Outbound requests/ });
  await expect(audit.getByRole('row')).not.toHaveCount(1);
  const auditBox = audit.locator('xpath=..');
  await expectNoSideScroll(auditBox, 'the audit table');
  for (const name of ['Time', 'Host', 'Model', 'Status', 'Sent', 'Received', 'Request id']) await expectInside(audit.getByRole('columnheader', { name, exact: true }), auditBox, `audit column ${name}`);
  await expect(audit.getByRole('cell', { name: /req_fake_/ }).first()).toBeVisible();
  await expectInside(audit.getByRole('cell', { name: /req_fake_/ }).first(), auditBox, 'a request id');
  await audit.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/layout-audit.png`, animations: 'disabled' });
});

test('Settings → Providers at 1280×800: padded cards, a key field named per provider, nothing clipped or covered', async ({ appPage: page }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await go(page, 'Settings');
  const providers = page.getByRole('region', { name: 'Providers' });
  // One key field per provider, each named after it (not four fields all called "API key").
  for (const name of ['OpenAI', 'Anthropic', 'Google Gemini']) {
    const card = providers.getByLabel(name, { exact: true });
    await expect(card.getByLabel(`${name} API key`, { exact: true })).toHaveCount(1);
  }
  await expect(providers.getByLabel('API key', { exact: true })).toHaveCount(0);

  // Content keeps off the card edge: headings, status lines and buttons alike.
  const cards = providers.locator('.card');
  expect(await cards.count()).toBeGreaterThanOrEqual(5);
  for (const card of await cards.all()) {
    const outer = (await card.boundingBox())!;
    for (const child of await card.locator('h3, .provider-key-status, button, .audit-actions').all()) {
      if (!(await child.isVisible())) continue;
      const box = (await child.boundingBox())!;
      expect(box.x - outer.x, `${await child.textContent()} keeps off the card's left edge`).toBeGreaterThanOrEqual(8);
      expect(box.y - outer.y, `${await child.textContent()} keeps off the card's top edge`).toBeGreaterThanOrEqual(8);
    }
  }
  await providers.getByLabel('OpenAI', { exact: true }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/layout-providers.png`, animations: 'disabled' });

  // The add-price form's placeholder fits its field, and the price table's last row is not under it.
  const ref = page.getByRole('textbox', { name: 'Model ref to price' });
  const fits = await ref.evaluate((el: HTMLInputElement) => {
    const style = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return ctx.measureText(el.placeholder).width <= room;
  });
  expect(fits, 'the placeholder is not clipped').toBe(true);
  const table = page.getByRole('table', { name: 'Prices' });
  const last = table.getByRole('row').last();
  await last.scrollIntoViewIfNeeded();
  await expect(last).toBeVisible();
  const lastBox = (await last.boundingBox())!;
  const wrap = (await table.locator('xpath=..').boundingBox())!;
  const form = (await page.getByRole('form', { name: 'Add a price' }).boundingBox())!;
  expect(lastBox.y + lastBox.height, 'the last price row is inside its box').toBeLessThanOrEqual(wrap.y + wrap.height + 0.5);
  expect(lastBox.y + lastBox.height, 'the last price row ends above the add form').toBeLessThanOrEqual(form.y);
  await page.screenshot({ path: `${SCREENSHOTS}/layout-prices.png`, animations: 'disabled' });
});
