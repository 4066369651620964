import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { POLICY_COST_SUITE, sayPhraseBack } from '../helpers/policyCost';
import { expect, isLoopbackUrl, startServe, test } from './fixtures';

const KEY = 'sk-e2e-POLICYCOST-0123456789abcdefWXYZ';

test('Evals: measure the data policy cost: offered only when the policy allows it, confirmed for a remote model, and the pass rates side by side survive a reload', async ({ page }) => {
  await using fake = await FakeProviderServer.start({ wire: 'openai', key: KEY, replyFor: sayPhraseBack });
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: KEY } });
  const { url, api } = serve;
  const foreign: string[] = [];
  page.on('request', (r) => void (isLoopbackUrl(r.url()) || foreign.push(r.url())));
  // A remote model the suite names (it starts unticked) and two cases: one holds an e-mail address.
  const imported = await api('evals.suites.import', { format: 'yaml', content: POLICY_COST_SUITE });
  expect(imported.ok, imported.error?.message).toBe(true);

  await page.goto(url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Policy cost/ }).click();
  const option = (dialog: ReturnType<typeof page.getByRole>) => dialog.getByRole('checkbox', { name: /Measure the policy's cost/ });

  // No policy: the option is there, off, and says why.
  await page.getByRole('button', { name: 'Run…' }).click();
  let dialog = page.getByRole('dialog', { name: /Run “Policy cost”/ });
  await expect(option(dialog)).toBeDisabled();
  await expect(option(dialog)).toHaveAccessibleDescription(/No data policy is set/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A policy that does not allow runs without it: still off, naming evalBypass.
  expect((await api('policy.set', { yaml: 'providers: { openai: { email: block } }\n' })).ok).toBe(true);
  await page.getByRole('button', { name: 'Run…' }).click();
  dialog = page.getByRole('dialog', { name: /Run “Policy cost”/ });
  await expect(option(dialog)).toHaveAccessibleDescription(/add "evalBypass: true"/);
  await expect(option(dialog)).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  expect((await api('policy.set', { yaml: 'providers: { openai: { email: block } }\nevalBypass: true\n' })).ok).toBe(true);
  await page.getByRole('button', { name: 'Run…' }).click();
  dialog = page.getByRole('dialog', { name: /Run “Policy cost”/ });
  await dialog.getByRole('checkbox', { name: /gpt-4o-mini/ }).check();
  await option(dialog).check();
  await expect(dialog.getByRole('note')).toContainText('The second run sends the data unredacted.');
  // A remote model gets the unredacted data: nothing starts until the user says so.
  const start = dialog.getByRole('button', { name: 'Start both runs' });
  await expect(start).toBeDisabled();
  await dialog.getByRole('checkbox', { name: /I understand: the run without the policy sends the unredacted data to openai:gpt-4o-mini/ }).check();
  await start.click();
  await expect(dialog).toBeHidden();

  const readTable = async (): Promise<void> => {
    const section = page.getByRole('region', { name: 'Data policy cost' });
    const row = section.getByRole('table', { name: 'Data policy cost' }).getByRole('row', { name: /openai:gpt-4o-mini/ });
    await expect(row.getByRole('cell')).toHaveText(['50%', '100%', '-50 pts', '1'], { timeout: 30_000 });
    await expect(section.getByTestId('policy-cost-status')).toContainText('Under the policy: completed · Without the policy: completed');
  };
  await readTable();
  // Under the policy the address never left; the run without it sent it (what is measured), after.
  const bodies = fake.generationRequests.map((r) => r.body);
  expect(bodies).toHaveLength(3);
  expect(bodies[0]).not.toContain('jane.doe@example.com');
  expect(bodies.filter((b) => b.includes('jane.doe@example.com'))).toHaveLength(1);

  // After a reload, either run of the pair finds the other: here the one without the policy.
  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Policy cost/ }).click();
  await page.getByRole('tab', { name: /Runs \(2\)/ }).click();
  await page.getByRole('list', { name: 'Runs' }).getByRole('button', { name: /2\/2 passed/ }).click();
  await expect(page.getByTestId('policy-cost-status')).toContainText('This run is the one without the data policy');
  await readTable();
  expect(foreign, 'the page must not contact any non-loopback host').toEqual([]);
});
