import { expect, test } from './fixtures';

const CASES = 500;

test('a 500-case suite opens in the editor with only the cases in view in the page; scrolling, adding and saving a case still work', async ({ appPage: page, serve }) => {
  const created = await serve.api<{ id: string }>('evals.suites.create', {
    spec: {
      name: 'Large',
      prompts: [{ template: 'Question {{n}}' }],
      providers: [],
      cases: Array.from({ length: CASES }, (_, i) => ({ id: `case-${i + 1}`, vars: { n: String(i + 1) }, assert: [{ type: 'contains', value: 'x' }] })),
    },
  });
  expect(created.ok, JSON.stringify(created.error)).toBe(true);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evals', exact: true }).click();
  await page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Large/ }).click();
  const editor = page.getByRole('form', { name: 'Suite editor' });
  await expect(editor.getByRole('heading', { name: `Cases (${CASES})` })).toBeVisible();
  await expect(editor.getByRole('group', { name: /^Case 1: case-1$/ })).toBeVisible();
  // Rendered whole, the editor held 500 forms of a dozen fields each and kept the page busy for seconds.
  expect(await editor.getByRole('group', { name: /^Case \d+:/ }).count()).toBeLessThan(30);

  // The last case is reachable by scrolling the list.
  const last = editor.getByRole('group', { name: `Case ${CASES}: case-${CASES}` });
  await expect(last).toHaveCount(0);
  await page.locator('.evals-cases-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(last).toBeVisible();
  await expect(last.getByRole('textbox', { name: 'Variables' })).toHaveValue(`n=${CASES}`);

  // A new case lands at the end and is brought into view, ready to fill.
  await page.locator('.evals-cases-scroll').evaluate((el) => el.scrollTo(0, 0));
  await editor.getByRole('button', { name: 'Add case' }).click();
  const added = editor.getByRole('group', { name: new RegExp(`^Case ${CASES + 1}:`) });
  await expect(added).toBeVisible();
  await added.getByRole('textbox', { name: 'Case id' }).fill('added');
  await added.getByRole('textbox', { name: 'Variables' }).fill('n=new');
  await added.getByRole('combobox', { name: 'Assertion 1 type' }).selectOption('is-json');
  await editor.getByRole('button', { name: 'Save new version' }).click();
  await expect(page.getByRole('navigation', { name: 'Suites' }).getByRole('button', { name: /Large/ })).toContainText(`v2 · ${CASES + 1} cases`);

  const saved = await serve.api<{ spec: { cases: Array<{ id: string; vars: Record<string, string> }> } }>('evals.suites.get', { id: created.data!.id });
  expect(saved.data!.spec.cases).toHaveLength(CASES + 1);
  expect(saved.data!.spec.cases.at(-1)).toMatchObject({ id: 'added', vars: { n: 'new' } });
  expect(saved.data!.spec.cases[0]).toMatchObject({ id: 'case-1', vars: { n: '1' } });
});
