import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { expect, startServe, test } from './fixtures';

const KEY = 'sk-e2e-POLICY-0123456789abcdefWXYZ';

test('Chat under a warn rule: the answer asks first, nothing is sent, and "Send anyway" sends the message as written', async ({ page }) => {
  await using fake = await FakeProviderServer.start({ wire: 'openai', key: KEY });
  const dir = mkdtempSync(join(tmpdir(), 'parity-e2e-policy-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'providers: { "*": { ssn: warn } }\n');
  await using serve = await startServe({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: KEY, PARITY_POLICY_FILE: policy } });
  const { url } = serve;
  try {
    await serve.call('chat.conversations.create', { title: 'Payroll', modelRef: 'openai:gpt-4o-mini' });
    await page.goto(url);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'Payroll', exact: true }).click();
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.fill('Is 123-45-6789 a valid SSN?');
    await composer.press('Enter');

    const answer = page.getByRole('article', { name: 'Answer' }).last();
    await expect(answer).toContainText('this message contains 1 SSN. Send it to openai as written? Nothing was sent.');
    expect(fake.generationRequests).toHaveLength(0);
    await answer.getByRole('button', { name: 'Send anyway' }).click();
    await expect(page.getByRole('article', { name: 'Answer' }).last()).toContainText('Hello, world!');
    await expect(page.getByRole('article', { name: 'Answer' }).last()).toContainText('data policy: 1 SSN sent, noted');
    expect(fake.generationRequests).toHaveLength(1);
    expect(fake.generationRequests[0]!.body).toContain('123-45-6789');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
