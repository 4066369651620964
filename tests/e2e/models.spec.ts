import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from './fixtures';

const MODELS_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'models');
const STORIES_MODEL = join(MODELS_DIR, 'stories260K.gguf');
const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';

test('imports stories260K by path and lists it with its metadata, fit and sha256', async ({ appPage: page, serve }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  await expect(page.getByText('No models yet')).toBeVisible();

  await page.getByLabel('Model file path').fill(STORIES_MODEL);
  await page.getByRole('radio', { name: 'Link in place' }).check();
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const card = page.getByRole('list', { name: 'Library' }).getByRole('article', { name: 'stories260K' });
  await expect(card).toBeVisible();
  await expect(card.getByText('llama', { exact: true })).toBeVisible();
  await expect(card.getByText('F32')).toBeVisible();
  await expect(card.getByText('2,048 trained')).toBeVisible();
  await expect(card.getByText(/^Fits/)).toBeVisible();
  await expect(card.getByText('linked in place')).toBeVisible();
  await expect(card.getByText(/Licence: No licence/)).toBeVisible();
  await expect(card.getByText(`sha256 ${STORIES_SHA256}`)).toBeVisible();

  // The UI showed what the API holds.
  const listed = await serve.api<Array<{ name: string; sha256: string | null }>>('models.list');
  expect(listed.data?.map((m) => m.name)).toEqual(['stories260K']);

  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/models.png' });

  // Remove asks first, then offers Undo before anything reaches the library.
  await card.getByRole('button', { name: 'Remove stories260K' }).click();
  await card.getByRole('button', { name: 'Confirm removal' }).click();
  await expect(card).toBeHidden();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(card).toBeVisible();
  expect((await serve.api<unknown[]>('models.list')).data).toHaveLength(1);
});

test('refuses a file that is not a model with a clear error and adds nothing', async ({ appPage: page, serve }) => {
  await page.goto(`${serve.origin}/#/models`);
  await page.getByLabel('Model file path').fill(join(MODELS_DIR, 'README.md'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('README.md cannot be used as a model: it is not a GGUF file');
  const listed = await serve.api<unknown[]>('models.list');
  expect(listed.data).toEqual([]);
});

test('downloads from a loopback host with a progress bar, pauses, resumes and adds the model', async ({ appPage: page }) => {
  const body = readFileSync(STORIES_MODEL);
  // A slow host with Range support, publishing the sha256 in ETag as Hugging Face does for LFS files.
  const server = createServer((req, res) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const slice = body.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'Content-Length': String(slice.length),
      'Accept-Ranges': 'bytes',
      ETag: `"${STORIES_SHA256}"`,
      ...(range ? { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') return void res.end();
    let offset = 0;
    const timer = setInterval(() => {
      if (res.destroyed || offset >= slice.length) {
        clearInterval(timer);
        return void res.end();
      }
      res.write(slice.subarray(offset, offset + 8 * 1024));
      offset += 8 * 1024;
    }, 25);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/org/repo/resolve/main/stories260K.gguf`;
  try {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models', exact: true }).click();
    await page.getByLabel('Model URL').fill(url);
    await page.getByRole('form', { name: 'Download a model' }).getByRole('button', { name: 'Download' }).click();

    const downloads = page.getByRole('list', { name: 'Downloads' });
    await expect(downloads.getByRole('progressbar', { name: /stories260K\.gguf — Downloading/ })).toBeVisible();
    await downloads.getByRole('button', { name: 'Pause' }).click();
    await expect(downloads.getByRole('progressbar', { name: /Paused/ })).toBeVisible();
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/models-download.png' });
    await downloads.getByRole('button', { name: 'Resume' }).click();
    await expect(downloads.getByRole('progressbar', { name: /Completed/ })).toBeVisible({ timeout: 30_000 });

    const card = page.getByRole('list', { name: 'Library' }).getByRole('article', { name: 'stories260K' });
    await expect(card).toBeVisible();
    await expect(card.getByText(`sha256 ${STORIES_SHA256}`)).toBeVisible();
    await expect(card.getByText('in the library')).toBeVisible();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('downloads say what is wrong: retries with no network, a still bar with the reason, and Offline disables what it forbids', async ({ appPage: page, serve }) => {
  // A loopback port that was just free: connections are refused, as with no network.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models', exact: true }).click();
  await page.getByLabel('Model URL').fill(`http://127.0.0.1:${port}/org/repo/resolve/main/unreachable.gguf`);
  await page.getByRole('form', { name: 'Download a model' }).getByRole('button', { name: 'Download' }).click();
  const downloads = page.getByRole('list', { name: 'Downloads' });
  const retrying = downloads.getByRole('progressbar', { name: /unreachable\.gguf — Retrying \(\d of 5\)/ });
  await expect(retrying).toBeVisible();
  await expect(downloads.getByText(/refused the connection \(ECONNREFUSED\)\. Retry \d of 5/)).toBeVisible();
  await expect(retrying.locator('.progress-fill--indeterminate')).toHaveCount(0);
  await downloads.getByRole('button', { name: 'Cancel' }).click();

  // Offline: every Download is disabled with the reason; a download refused by it stands still.
  await serve.api('settings.set', { key: 'offline', value: true });
  await expect(page.getByTestId('offline-note')).toContainText('Offline mode is on');
  const catalogueButtons = page.getByRole('list', { name: 'Catalogue' }).getByRole('button', { name: /^Download / });
  await expect(catalogueButtons.first()).toBeDisabled();
  for (const button of await catalogueButtons.all()) {
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /Offline mode is on/);
  }
  await page.getByLabel('Model URL').fill(`http://127.0.0.1:${port}/org/repo/resolve/main/blocked.gguf`);
  await expect(page.getByRole('form', { name: 'Download a model' }).getByRole('button', { name: 'Download' })).toBeDisabled();
  const refused = await serve.api<{ id: string }>('models.download.start', { source: `https://huggingface.co/org/repo/resolve/main/blocked.gguf` });
  expect(refused.ok).toBe(true);
  const failed = downloads.getByRole('progressbar', { name: /blocked\.gguf — Failed/ });
  await expect(failed).toBeVisible();
  await expect(failed.locator('.progress-fill--indeterminate')).toHaveCount(0);
  await expect(downloads.getByRole('alert')).toContainText('Offline mode');
  await expect(downloads.getByRole('button', { name: 'Retry' })).toBeDisabled();
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/models-downloads-offline.png', fullPage: true });
});
