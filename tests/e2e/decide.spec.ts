import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, isLoopbackUrl, startServe, test } from './fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const MODELS = join(import.meta.dirname, '..', '..', '..', 'shared', 'models');
const OPENAI_KEY = 'sk-e2e-decide-0123456789abcdef';
const COMPAT_KEY = 'gsk_e2e-decide-0123456789abcdef';

/** Fake remotes answer "Hello, world!", so they pass "greet"; the local models do not. */
const SUITE = `description: Greetings at volume
prompts:
  - 'Say hello to the {{what}}'
tests:
  - metadata: { id: greet }
    vars: { what: world }
    assert:
      - type: icontains
        value: hello
  - metadata: { id: any }
    vars: { what: moon }
    assert:
      - type: not-icontains
        value: zzzz
`;

test('on a finished run with two local and two remote models: enter a volume, read the recommendation, save a record that opens offline and re-imports', async ({ page }) => {
  await using openai = await FakeProviderServer.start({ wire: 'openai', key: OPENAI_KEY, models: ['gpt-4o-mini'] });
  await using compat = await FakeProviderServer.start({ wire: 'compat', key: COMPAT_KEY, models: ['llama-3-70b'] });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: openai.baseUrl, OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' } });
  const { url, call: api } = serve;
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!isLoopbackUrl(r.url())) foreign.push(r.url());
  });
  const out = mkdtempSync(join(tmpdir(), 'parity-decide-'));
  try {
    const locals: string[] = [];
    for (const file of ['stories260K.gguf', 'llama-2-tiny-random.gguf']) {
      const { model } = await api<{ model: { id: string } }>('models.import', { path: join(MODELS, file), mode: 'link' });
      locals.push(`local:${model.id}`);
    }
    await api('providers.addEndpoint', { name: 'together', baseUrl: compat.baseUrl, models: ['llama-3-70b'], key: COMPAT_KEY });
    const hosted = 'compat:together/llama-3-70b';
    await api('prices.set', { ref: hosted, inputPerMTok: 0.2, outputPerMTok: 0.2 });
    const suite = await api<{ id: string }>('evals.suites.import', { format: 'yaml', content: SUITE });
    const run = await api<{ id: string }>('evals.runs.start', { suiteId: suite.id, models: [...locals, 'openai:gpt-4o-mini', hosted], params: { temperature: 0, seed: 1, maxTokens: 8, threads: 1 } });
    await expect.poll(async () => (await api<{ status: string }>('evals.runs.get', { runId: run.id })).status, { timeout: 90_000 }).toBe('completed');

    await page.goto(url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
    await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Greetings at volume/ }).click();
    await page.getByRole('tab', { name: /Runs/ }).click();
    await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().click();
    await expect(page.getByTestId('run-status')).toHaveText('completed');

    const decide = page.getByRole('heading', { name: 'Decide', exact: true });
    await decide.scrollIntoViewIfNeeded();
    await page.getByRole('textbox', { name: 'Volume per day' }).fill('2000');
    await page.getByRole('textbox', { name: 'Minimum pass rate (%)' }).fill('75');
    const rec = page.getByTestId('decide-recommendation');
    // Only the remotes pass both cases (100%); the locals fail "greet" (50%) and are below 75%.
    await expect(rec).toContainText('Recommended: ');
    await expect(rec).toContainText('Rule: Lowest cost per successful task among models with a pass rate of at least 75%');
    await expect(rec).toContainText(/pass rate \d+(\.\d)?% is below the minimum 75%/);
    const winner = (await rec.locator('.decide-winner strong').textContent())!;
    expect(['openai:gpt-4o-mini', hosted]).toContain(winner);
    await expect(rec).toContainText(/not significant|no model in the run passes more often/);
    const costs = page.getByRole('table', { name: 'Cost per model' });
    await expect(costs.getByRole('row')).toHaveCount(5);
    await expect(costs.getByRole('row', { name: new RegExp(locals[0]!) })).toContainText('est.');
    await expect(page.getByRole('table', { name: 'Break-even volumes' }).getByRole('row')).toHaveCount(5);
    await expect(page.getByText('Monthly cost against volume (log scales)')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Scorecard' }).getByTestId('local-cost-estimate').first()).toContainText('est.');

    // Nothing in the view is wider than the page at the default window size.
    const decideSection = page.locator('section[aria-labelledby="decide-title"]');
    expect(await decideSection.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await decideSection.screenshot({ path: `${SCREENSHOTS}/decide.png`, animations: 'disabled' });

    // A budget rule changes the answer live.
    await page.getByRole('combobox', { name: 'Rule' }).selectOption('best-pass-under-budget');
    await page.getByRole('textbox', { name: 'Budget per month ($)' }).fill('0.000001');
    await expect(rec).toContainText('No model meets the rule');

    // The record: downloaded from the view, opened offline in Chromium, then re-imported for comparison.
    await page.getByRole('combobox', { name: 'Rule' }).selectOption('cheapest-above-pass');
    // A what-if hosted line for the first local model: its tokens and quality at a host's price.
    await page.getByRole('combobox', { name: 'Local model' }).selectOption(locals[0]!);
    await page.getByRole('textbox', { name: 'Host' }).fill('fireworks');
    await page.getByRole('textbox', { name: 'Input $ per 1M tokens' }).fill('0.1');
    await page.getByRole('textbox', { name: 'Output $ per 1M tokens' }).fill('0.1');
    await page.getByRole('button', { name: 'Add hosted option' }).click();
    await expect(costs.getByRole('row', { name: new RegExp(`${locals[0]} @ fireworks`) })).toContainText('hosted open-weight');
    await expect(page.getByRole('table', { name: 'Break-even volumes' }).getByRole('row')).toHaveCount(7);
    await page.getByRole('textbox', { name: 'Question for the record' }).fill('Which model answers greetings at 2,000 a day?');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save decision record' }).click();
    const file = join(out, 'record.html');
    await (await download).saveAs(file);
    const viewer = await page.context().newPage();
    const requests: string[] = [];
    viewer.on('request', (r) => requests.push(r.url()));
    await viewer.goto(`file://${file}`);
    await expect(viewer.getByRole('heading', { name: 'Decision record' })).toBeVisible();
    await expect(viewer.getByTestId('recommendation')).toContainText(winner);
    await expect(viewer.locator('svg[aria-label^="Monthly cost"]')).toBeVisible();
    await expect(viewer.getByText(`${locals[0]} @ fireworks`).first()).toBeVisible();
    await viewer.screenshot({ path: `${SCREENSHOTS}/decision-record.png`, fullPage: true });
    // Save-as-PDF: the print stylesheet applies and the document prints without loading anything.
    await viewer.emulateMedia({ media: 'print' });
    expect(await viewer.locator('h2').first().evaluate((el) => getComputedStyle(el).breakAfter)).toBe('avoid');
    const pdf = await viewer.pdf({ format: 'A4', path: join(out, 'record.pdf') });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    expect(requests.filter((r) => !r.startsWith('file://'))).toEqual([]);
    await viewer.close();

    await page.locator('input[type=file][accept=".html,text/html"]').setInputFiles(file);
    await expect(page.getByTestId('decide-imported')).toContainText(`recommended ${winner}`);

    // Settings → Cost shows each default and drives the estimate: $1,200 of operations a month.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    const cost = page.getByTestId('cost-settings');
    await expect(cost).toContainText('Default: $2,500.');
    const ops = cost.getByRole('spinbutton', { name: 'Operations overhead' });
    await ops.fill('1200');
    await ops.press('Enter');
    await expect.poll(async () => (await api<{ value: number }>('settings.get', { key: 'costOpsUsdPerMonth' })).value).toBe(1200);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
    await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Greetings at volume/ }).click();
    await page.getByRole('tab', { name: /Runs/ }).click();
    await page.getByRole('list', { name: 'Runs' }).getByRole('button').first().click();
    // $2,500 over 36 months + 0.35 kW × 24 h × 30.4375 days × $0.15 = $107.80 per machine, plus operations.
    await expect(page.getByRole('table', { name: 'Cost per model' }).getByRole('row', { name: new RegExp(locals[0]!) })).toContainText('$1,307.80');
    expect(foreign).toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
