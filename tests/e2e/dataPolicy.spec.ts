import { expect, test } from './fixtures';

test('Settings → Data policy: a bad policy is refused naming the place, a good one is saved, shown as a table and tried on a message', async ({ appPage: page, serve }) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const section = page.getByRole('region', { name: 'Data policy' });
  await expect(section.getByTestId('data-policy')).toContainText('No rules: prompts go to remote models as written.');

  const yaml = section.getByLabel('Policy (YAML)');
  await yaml.fill('providers:\n  openai: { emial: redact }\n');
  await section.getByRole('button', { name: 'Save policy' }).click();
  await expect(section.getByRole('alert')).toContainText('providers.openai.emial: unknown detector "emial"');
  // Nothing was stored.
  expect(await serve.api('policy.get')).toMatchObject({ ok: true, data: { yaml: '' } });

  await yaml.fill('providers:\n  openai: { email: redact, iban: block }\nroutes:\n  analyst: [openai:gpt-4o-mini, anthropic:claude-sonnet-4-5]\nbudgets:\n  openai: { dailyUsd: 5 }\n');
  await section.getByRole('button', { name: 'Save policy' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const rules = section.getByRole('table', { name: 'Data policy rules' });
  await expect(rules.getByRole('row', { name: /openai/ })).toContainText('redact');
  await expect(rules.getByRole('row', { name: /openai/ })).toContainText('block');
  expect(await serve.api('policy.get')).toMatchObject({ ok: true, data: { policy: { providers: { openai: { email: 'redact', iban: 'block' } } } } });
  const routes = section.getByRole('list', { name: 'Routes and budgets' });
  await expect(routes).toContainText('route:analyst: openai:gpt-4o-mini → anthropic:claude-sonnet-4-5');
  await expect(routes).toContainText('Budget openai: $5 a day');

  await section.getByLabel('Message').fill('Please mail jane@example.com');
  await section.getByRole('button', { name: 'Check' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Sent redacted' })).toContainText('1 EMAIL (redact)');
  await expect(section.locator('.policy-sent')).toHaveText('Please mail [EMAIL_1]');
  await section.getByLabel('Message').fill('Pay DE89 3704 0044 0532 0130 00');
  await section.getByRole('button', { name: 'Check' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'Refused' })).toContainText('blocked by data policy: 1 IBAN');

  await expect(section.getByRole('table', { name: 'Policy report, last 30 days' }).getByRole('row', { name: /total/ })).toBeVisible();
});
