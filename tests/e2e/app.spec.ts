import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type ServeHandle } from './fixtures';

const PAGE_NAMES = ['Chat', 'Compare', 'Evals', 'Models', 'Settings', 'Documents'] as const;
const SCREENSHOTS = 'test-results/screenshots';

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const pageHeading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

async function openSettings(page: Page): Promise<void> {
  await mainNav(page).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(pageHeading(page, 'Settings')).toBeVisible();
}

async function settingValue(serve: ServeHandle, key: string): Promise<unknown> {
  const result = await serve.api<{ key: string; value: unknown }>('settings.get', { key });
  return result.data?.value;
}

test('loads with the six main links and takes the token out of the address bar', async ({ appPage: page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const nav = mainNav(page);
  await expect(nav).toBeVisible();
  const links = nav.getByRole('link');
  await expect(links).toHaveCount(PAGE_NAMES.length);
  for (const [index, name] of PAGE_NAMES.entries()) {
    await expect(links.nth(index)).toHaveAccessibleName(name);
  }
  await expect(pageHeading(page, 'Chat')).toBeVisible();
  await expect(links.first()).toHaveAttribute('aria-current', 'page');

  const url = new URL(page.url());
  expect(url.searchParams.has('token'), `token still in ${page.url()}`).toBe(false);
  expect(page.url()).not.toContain('token');

  mkdirSync(SCREENSHOTS, { recursive: true });
  await openSettings(page);
  await expect(page.getByRole('region', { name: 'About Parity' }).getByText('Data folder')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/app.png`, animations: 'disabled' });
});

test('navigates with the keyboard alone: Tab and Enter, and Ctrl+number', async ({ appPage: page }) => {
  await expect(pageHeading(page, 'Chat')).toBeVisible();
  const evals = mainNav(page).getByRole('link', { name: 'Evals', exact: true });
  for (let i = 0; i < 12 && !(await evals.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(evals).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(pageHeading(page, 'Evals')).toBeFocused();
  await expect(evals).toHaveAttribute('aria-current', 'page');
  expect(new URL(page.url()).hash).toBe('#/evals');

  await page.keyboard.press('Control+2');
  await expect(pageHeading(page, 'Compare')).toBeFocused();
  await expect(mainNav(page).getByRole('link', { name: 'Compare', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(evals).not.toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('Control+4');
  await expect(pageHeading(page, 'Models')).toBeFocused();
  await page.keyboard.press('Control+5');
  await expect(pageHeading(page, 'Settings')).toBeFocused();
  await expect(mainNav(page).getByRole('link', { name: 'Settings', exact: true })).toHaveAttribute('title', /Ctrl\+5/);

  // Every navigation is a history entry, so Back works as in a browser.
  await page.goBack();
  await expect(pageHeading(page, 'Models')).toBeVisible();

  // An address that names no page falls back to Chat instead of an empty window.
  await page.evaluate(() => (window.location.hash = '#/no-such-page'));
  await expect(pageHeading(page, 'Chat')).toBeVisible();
  await expect.poll(() => new URL(page.url()).hash).toBe('#/chat');

  // The sixth page, Documents, is Ctrl+6.
  await page.keyboard.press('Control+6');
  await expect(pageHeading(page, 'Documents')).toBeFocused();
  await expect(mainNav(page).getByRole('link', { name: 'Documents', exact: true })).toHaveAttribute('title', /Ctrl\+6/);
});

test('the About panel shows every app.info field, including the data dir serve was started with', async ({ appPage: page, serve }) => {
  await openSettings(page);
  const about = page.getByRole('region', { name: 'About Parity' });
  const info = (await serve.api<Record<string, unknown>>('app.info')).data as Record<string, string | number | null>;
  expect(info.dataDir).toBe(serve.dataDir);
  await expect(about).toContainText(serve.dataDir);
  for (const field of ['version', 'databasePath', 'schemaVersion', 'nodeVersion', 'platform', 'arch'] as const) {
    await expect(about, `About shows ${field}`).toContainText(String(info[field]));
  }
  await expect(about).toContainText('Browser (parity serve)');
  await expect(about.getByText('Electron', { exact: true })).toBeVisible();
  await expect(about.getByText('Chrome', { exact: true })).toBeVisible();
});

test('choosing the Dark theme is saved and survives a reload', async ({ appPage: page, serve }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openSettings(page);
  const html = page.locator('html');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightBackground = await background();

  await page.getByRole('radio', { name: 'Dark', exact: true }).check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => settingValue(serve, 'theme')).toBe('dark');
  expect(await background()).not.toBe(lightBackground);
  await page.screenshot({ path: `${SCREENSHOTS}/app-dark.png`, animations: 'disabled' });

  // Drop the first-paint cache so only the saved setting can bring Dark back.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Dark', exact: true })).toBeChecked();
  await expect(html).toHaveAttribute('data-theme', 'dark');

  await page.getByRole('radio', { name: 'System', exact: true }).check();
  await expect(html).not.toHaveAttribute('data-theme', /.+/);
  await expect.poll(() => settingValue(serve, 'theme')).toBe('system');
  expect(await background()).toBe(lightBackground);
});

test('settings save on change and show the router validation message', async ({ appPage: page, serve }) => {
  await openSettings(page);
  const threads = page.getByRole('spinbutton', { name: 'CPU threads' });
  await expect(threads).toHaveValue('0');
  await threads.fill('-1');
  await threads.press('Enter');
  await expect(threads).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toContainText('defaultThreads');
  expect(await settingValue(serve, 'defaultThreads')).toBe(0);

  await threads.fill('3');
  await threads.blur();
  await expect.poll(() => settingValue(serve, 'defaultThreads')).toBe(3);
  await expect(threads).not.toHaveAttribute('aria-invalid', 'true');

  const offline = page.getByRole('switch', { name: 'Offline' });
  await expect(offline).not.toBeChecked();
  await offline.check();
  await expect.poll(() => settingValue(serve, 'offline')).toBe(true);
  await expect(page.getByRole('complementary').getByText('Offline', { exact: true })).toBeVisible();

  // The toast's Undo puts the previous value back, on the server and in the switch.
  const toast = page.getByRole('status').filter({ hasText: 'remote providers and downloads are blocked' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => settingValue(serve, 'offline')).toBe(false);
  await expect(offline).not.toBeChecked();
  await expect(toast).toHaveCount(0);
  await expect(page.getByRole('complementary').getByText('Offline', { exact: true })).toHaveCount(0);

  // A change made elsewhere (here: the API, as the CLI or another window would) shows up live.
  await serve.api('settings.set', { key: 'idleUnloadMinutes', value: 42 });
  await expect(page.getByRole('spinbutton', { name: 'Unload idle models after' })).toHaveValue('42');
});

test('without a token the page says to open the URL parity serve printed', async ({ page, serve }) => {
  await page.goto(`${serve.origin}/`);
  await expect(page.getByRole('alert')).toContainText('parity serve');
  await expect(page.getByRole('alert')).toContainText('?token=');
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
});

test('a wrong token explains how to recover instead of showing a broken app', async ({ page, serve }) => {
  await page.goto(`${serve.origin}/?token=not-the-token`);
  await expect(page.getByRole('heading', { level: 1, name: 'Cannot reach Parity' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Missing or invalid token');
});

test('toasts stay off the page and its controls, expire, and do not follow the user to another page', async ({ appPage: page, serve }) => {
  await page.clock.install();
  await openSettings(page);
  const offline = page.getByRole('switch', { name: 'Offline' });
  const toast = page.getByRole('status').filter({ hasText: 'remote providers and downloads are blocked' });

  await offline.check();
  await expect(toast).toBeVisible();
  // Over the sidebar, clear of <main> (where Send, Stop and every page's buttons live).
  const box = (await toast.boundingBox())!;
  const main = (await page.getByRole('main').boundingBox())!;
  const sidebar = (await page.getByRole('complementary').boundingBox())!;
  expect(box.x + box.width, 'the toast ends left of the page').toBeLessThanOrEqual(main.x);
  expect(box.x).toBeGreaterThanOrEqual(sidebar.x);
  expect(box.y + box.height).toBeLessThanOrEqual(sidebar.y + sidebar.height);
  await page.screenshot({ path: `${SCREENSHOTS}/toast.png`, animations: 'disabled' });

  // Another page: the notice about Settings stays behind.
  await mainNav(page).getByRole('link', { name: 'Chat', exact: true }).click();
  await expect(pageHeading(page, 'Chat')).toBeVisible();
  await expect(toast).toHaveCount(0);
  const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!;
  expect(send.x).toBeGreaterThanOrEqual(main.x);

  // Left alone, a toast expires (8 s with an Undo).
  await openSettings(page);
  await offline.uncheck();
  await expect.poll(() => settingValue(serve, 'offline')).toBe(false);
  const back = page.getByRole('status').filter({ hasText: /Offline|remote providers/i });
  await expect(back).toHaveCount(1);
  await page.mouse.move(1200, 700);
  await page.clock.fastForward(9_000);
  await expect(back).toHaveCount(0);
});
