/**
 * eval-ui: in Chromium against `parity serve`, a 2,000-cell run (500 cases × 2 models × 2 repeats
 * on a fake OpenAI-compatible server on loopback, so the run streams as fast as Parity can store
 * and score cells) streamed into the open run panel. Prints, for the run panel as it is (cells
 * applied from `evals.cellDone`) and for the old path (refetch all of `evals.runs.results` at most
 * once a second), the longest main-thread task (target < 50 ms) and the bytes that reached the
 * page per finished cell in each quarter of the run (target: the same in every quarter). The old
 * path is the same build with the bench-only switch LEGACY_REFETCH_SWITCH set in localStorage, so
 * both are measured in this one run. Needs `npm run build` (npm run bench builds first).
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LEGACY_REFETCH_SWITCH } from '../src/renderer/evals/useRunPanelResults';
import { FakeProviderServer } from '../tests/helpers/fakeProviders/FakeProviderServer';
import { startServe } from '../tests/helpers/serveProcess';
import { tempDir } from '../tests/helpers/tmp';
import { startProfile } from './evalUiProfile';
import { takeLongTasks, watchLongTasks, type LongTasks } from './longTasks';

const ROOT = join(import.meta.dirname, '..');
// EVAL_UI_CASES: a smaller run while working on the benchmark itself.
// 500 cases × 2 repeats: a grid of 1,000 rows, and a suite editor (which the page opens on) with 500
// cases, which it virtualizes.
const CASES = Number(process.env.EVAL_UI_CASES ?? 500);
const REPEAT = Number(process.env.EVAL_UI_REPEAT ?? 2);
const MODELS = ['compat:bench/fast-a', 'compat:bench/fast-b'];
const TOTAL = CASES * MODELS.length * REPEAT;

interface Measured {
  label: string;
  /** From "Start run" until the panel shows the run's first scorecard and chart (code, first data and drawing). */
  opening: LongTasks;
  /** From then until the last cell is stored. */
  streaming: LongTasks;
  /** The renderer's main thread busy (Chromium's TaskDuration) over the same window, in ms. */
  busyMs: number;
  /** From then until the panel shows the finished run (final scorecards, the Decide view) and settles. */
  finishing: LongTasks;
  /** Coming back to the finished run on a fresh page: from the click on it in the Runs list until it shows its results, charts and Decide view. */
  reopening: LongTasks;
  runMs: number;
  /** Bytes that reached the page (HTTP responses and WebSocket frames) in each quarter of the run, with its cells. */
  quarters: Array<{ cells: number; bytes: number }>;
}

/** EVAL_UI_PROFILE=1 prints where the main thread spent its time while the panel opened and while cells streamed in. */
const PROFILE = process.env.EVAL_UI_PROFILE === '1';

/** Milliseconds the renderer's main thread has been busy so far: robust to other processes taking the CPU, unlike a task's wall time. */
async function mainThreadBusy(cdp: CDPSession): Promise<number> {
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/**
 * Counts the data the page receives: responses of the API (`/api/...`) and WebSocket frames. The
 * app's own code (a lazily loaded chunk) is left out: it is fetched once, whatever the run's size.
 */
async function countBytes(page: Page): Promise<{ read: () => number; cdp: CDPSession }> {
  const cdp = await page.context().newCDPSession(page);
  let bytes = 0;
  const api = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (new URL(e.request.url).pathname.startsWith('/api/')) api.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    if (api.delete(e.requestId)) bytes += e.encodedDataLength;
  });
  cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => {
    bytes += Buffer.byteLength(e.response.payloadData);
  });
  await cdp.send('Network.enable');
  return { read: () => bytes, cdp };
}

/** Reloads the page and opens the finished run from the suite's Runs list, as a user coming back to it does; returns the long tasks from that click on. */
async function reopen(page: Page, suiteName: string, label: string): Promise<LongTasks> {
  await page.reload();
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: new RegExp(suiteName) }).click();
  await page.getByRole('tab', { name: /^Runs/ }).click();
  const run = page.getByRole('list', { name: 'Runs' }).getByRole('button').first();
  await run.waitFor();
  await page.waitForTimeout(300);
  await takeLongTasks(page);
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  const stopProfile = cdp ? await startProfile(cdp) : null;
  await run.click();
  await page.getByRole('table', { name: 'Scorecard' }).waitFor();
  await page.locator('.evals-chart svg').first().waitFor();
  await page.getByRole('figure', { name: 'Monthly cost against volume' }).waitFor({ timeout: 60_000 });
  await page.getByRole('table', { name: 'Results grid' }).waitFor();
  await page.waitForTimeout(500);
  const seen = await takeLongTasks(page);
  await stopProfile?.(`${label} (reopening the finished run)`);
  await cdp?.detach();
  return seen;
}

it('eval-ui: a 2,000-cell run streamed into the open run panel, live cache vs the old refetching path', async () => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build');
  using dir = tempDir('parity-bench-evalui-');
  // ~600 characters per answer: about what a short model answer with some reasoning weighs.
  const text = 'The answer is {"ok": true}. '.repeat(22);
  await using fake = await FakeProviderServer.start({ wire: 'compat', key: null, reply: { chunks: [text.slice(0, 300), text.slice(300)], usage: { input: 40, output: 150 } } });
  const providersFile = join(dir.path, 'providers.yaml');
  writeFileSync(providersFile, `endpoints:\n  - name: bench\n    baseUrl: ${fake.baseUrl}\n    models: [fast-a, fast-b]\n`);
  // Served from a copy: a rebuild of out/ during the bench would leave the page's lazily loaded chunks missing.
  const rendererCopy = join(dir.path, 'renderer');
  // EVAL_UI_RENDERER: another build of the renderer (an unminified one, to read a profile's names).
  cpSync(process.env.EVAL_UI_RENDERER ?? join(ROOT, 'out', 'renderer'), rendererCopy, { recursive: true });
  await using serve = await startServe({
    dataDir: join(dir.path, 'data'),
    globalArgs: ['--providers', providersFile],
    env: { PARITY_GPU: 'off', PARITY_RENDERER_DIR: rendererCopy },
    inheritStderr: true,
  });
  const { url, call: api } = serve;

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const measure = async (label: string, legacy: boolean): Promise<Measured> => {
    // One suite per path, so each run panel starts from an empty run list.
    const suite = await api<{ id: string; name: string }>('evals.suites.create', {
      spec: {
        name: `Bench ${label}`,
        prompts: [{ template: 'Question {{n}}: answer in JSON.' }],
        providers: MODELS.map((id) => ({ id })),
        cases: Array.from({ length: CASES }, (_, i) => ({
          id: `case-${String(i).padStart(4, '0')}`,
          vars: { n: String(i) },
          // JSON validity is scored over the cases that assert it: half of them, so the scorecard has it.
          assert: i % 2 === 0 ? [{ type: 'contains', value: 'answer' }, { type: 'contains-json' }] : [{ type: 'icontains', value: `nope-${i}` }],
        })),
      },
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(
      ([key, on]) => {
        if (on) localStorage.setItem(key, '1');
        else localStorage.removeItem(key);
      },
      [LEGACY_REFETCH_SWITCH, legacy] as const,
    );
    await watchLongTasks(page);
    const bytes = await countBytes(page);
    try {
      await page.goto(`${url}#/evals`);
      await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: new RegExp(suite.name) }).click();
      await page.getByRole('button', { name: 'Run…' }).click();
      const dialog = page.getByRole('dialog', { name: /Run “Bench/ });
      for (const id of MODELS) {
        const box = dialog.getByRole('checkbox', { name: new RegExp(id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) });
        await box.check();
      }
      await dialog.getByRole('spinbutton', { name: 'Repeats' }).fill(String(REPEAT));
      await dialog.getByRole('spinbutton', { name: 'Concurrency' }).fill('8');
      // Only the run counts: long tasks and bytes from loading the page and opening the dialog are left out.
      await takeLongTasks(page);
      const stopOpeningProfile = PROFILE ? await startProfile(bytes.cdp) : null;
      const t0 = Date.now();
      await dialog.getByRole('button', { name: 'Start run' }).click();
      await page.getByRole('table', { name: 'Scorecard' }).waitFor({ timeout: 120_000 });
      // The charts' first drawing (once a model has a measurement) is part of opening the panel.
      await page.locator('.evals-chart svg').first().waitFor({ timeout: 120_000 });
      await page.getByRole('table', { name: 'Results grid' }).waitFor();
      const opening = await takeLongTasks(page);
      await stopOpeningProfile?.(`${label} (opening the panel)`);
      const busyFrom = await mainThreadBusy(bytes.cdp);
      const stopStreamingProfile = PROFILE ? await startProfile(bytes.cdp) : null;
      const runId = (await api<Array<{ id: string }>>('evals.runs.list', { suiteId: suite.id }))[0]!.id;
      const cellsNow = async () => (await api<{ doneCells: number; status: string }>('evals.runs.get', { runId }));
      // Sample the page's byte count as each quarter of the remaining cells is stored (with the count it was taken at).
      const marks: Array<{ cells: number; bytes: number }> = [{ cells: (await cellsNow()).doneCells, bytes: bytes.read() }];
      const quarter = (TOTAL - marks[0]!.cells) / 4;
      for (;;) {
        const run = await cellsNow();
        if (marks.length < 4 && run.doneCells >= marks[0]!.cells + marks.length * quarter) marks.push({ cells: run.doneCells, bytes: bytes.read() });
        if (run.status !== 'running' && run.status !== 'pending') break;
        if (Date.now() - t0 > 20 * 60_000) throw new Error(`${label}: the run did not finish in 20 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const streaming = await takeLongTasks(page);
      const busyMs = (await mainThreadBusy(bytes.cdp)) - busyFrom;
      await stopStreamingProfile?.(`${label} (while streaming)`);
      await expect.poll(() => page.getByTestId('run-status').textContent(), { timeout: 120_000 }).toBe('completed');
      await page.getByRole('table', { name: 'Scorecard' }).waitFor();
      // The panel settles: the last batch, the final scorecards and run, the Decide view a finished run adds.
      await page.waitForTimeout(1500);
      const runMs = Date.now() - t0;
      marks.push({ cells: TOTAL, bytes: bytes.read() });
      const finishing = await takeLongTasks(page);
      const grid = await page.getByRole('table', { name: 'Results grid' }).getAttribute('aria-rowcount');
      expect(Number(grid)).toBe(CASES * REPEAT + 1);
      const reopening = await reopen(page, suite.name, label);
      return {
        label,
        opening,
        streaming,
        busyMs,
        finishing,
        reopening,
        runMs,
        quarters: marks.slice(1).map((m, i) => ({ cells: m.cells - marks[i]!.cells, bytes: m.bytes - marks[i]!.bytes })),
      };
    } catch (error) {
      await page.screenshot({ path: join(ROOT, 'test-results', `eval-ui-${legacy ? 'old' : 'new'}-failure.png`) }).catch(() => undefined);
      throw error;
    } finally {
      await bytes.cdp.detach().catch(() => undefined);
      await context.close();
    }
  };

  try {
    // EVAL_UI_ONLY=new skips the baseline (while profiling the panel); the printed ratios then compare new with new.
    const live0 = process.env.EVAL_UI_ONLY === 'new' ? await measure('new: apply evals.cellDone to the cache', false) : null;
    const old = live0 ?? (await measure('old: refetch all results each second', true));
    const live = live0 ?? (await measure('new: apply evals.cellDone to the cache', false));
    const perCell = (m: Measured) => m.quarters.map((q) => q.bytes / q.cells);
    const fmt = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)} kB` : `${n.toFixed(0)} B`);
    const line = (m: Measured) =>
      [
        `${m.label}:`,
        `  run of ${TOTAL} cells took ${(m.runMs / 1000).toFixed(1)} s in the open panel`,
        `  main thread busy while cells stream in: ${m.busyMs.toFixed(0)} ms (${((m.busyMs / TOTAL) * 100).toFixed(1)} ms per 100 cells)`,
        `  longest main-thread task while cells stream in: ${m.streaming.longest.toFixed(0)} ms (${m.streaming.count} long tasks, start+duration ms: ${m.streaming.log || '-'})  target < 50 ms: ${m.streaming.longest < 50 ? 'MET' : 'NOT MET'}`,
        `  longest task while the panel opens (first data, scorecard, grid and the charts' first drawing): ${m.opening.longest.toFixed(0)} ms (${m.opening.count} long tasks: ${m.opening.log || '-'})  target < 50 ms: ${m.opening.longest < 50 ? 'MET' : 'NOT MET'}`,
        `  longest task while the finished run settles in (final scorecards, the Decide view): ${m.finishing.longest.toFixed(0)} ms (${m.finishing.count} long tasks: ${m.finishing.log || '-'})`,
        `  longest task while the finished run's panel opens on a fresh page (results, charts, the Decide view): ${m.reopening.longest.toFixed(0)} ms (${m.reopening.count} long tasks: ${m.reopening.log || '-'})  target < 50 ms: ${m.reopening.longest < 50 ? 'MET' : 'NOT MET'}`,
        `  bytes to the page per finished cell, by quarter of the run: ${perCell(m).map(fmt).join(' → ')}` +
          `  (last/first ${(perCell(m)[3]! / perCell(m)[0]!).toFixed(2)}x; total ${fmt(m.quarters.reduce((s, q) => s + q.bytes, 0))})`,
      ].join('\n');
    const oldTotal = old.quarters.reduce((s, q) => s + q.bytes, 0);
    const liveTotal = live.quarters.reduce((s, q) => s + q.bytes, 0);
    console.log(
      [
        '',
        '=== eval-ui ===',
        `${CASES} cases × ${MODELS.length} models × ${REPEAT} repeats on a loopback OpenAI-compatible server, concurrency 8`,
        line(old),
        line(live),
        `ratio old/new: bytes to the page ${(oldTotal / liveTotal).toFixed(1)}x; main thread busy while streaming ${(old.busyMs / live.busyMs).toFixed(1)}x; longest long task (≥ 50 ms) while streaming ${old.streaming.longest.toFixed(0)} vs ${live.streaming.longest.toFixed(0)} ms (0: none)` +
          `; bytes per cell in the last quarter ${(perCell(old)[3]! / perCell(live)[3]!).toFixed(1)}x`,
        '',
      ].join('\n'),
    );
    expect(liveTotal).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
});
