import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { RouteOutput } from '../../src/shared/contract';
import { tempDir } from '../helpers/tmp';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'promptfoo');

describe('importing a promptfoo config in the app (evals.suites.import)', () => {
  it("resolves file:// references in the folder given with it and stores their content and the references", async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false, remote: { env: {} } });
    const content = readFileSync(join(FIXTURES, 'translate', 'promptfooconfig.yaml'), 'utf8');
    const res = await app.router.handle('evals.suites.import', { format: 'yaml', content, folder: join(FIXTURES, 'translate') }, { transport: 'test' });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const suite = res.data as RouteOutput<'evals.suites.import'>;
    expect(suite.spec.cases).toHaveLength(6);
    expect(suite.spec.prompts[0]!.template).toBe('Translate into {{ language }}: {{ input }}');
    expect(suite.spec.imported?.references).toContain('file://tests.csv');
  });

  it('without the folder, the import fails naming every file:// reference and stores nothing', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false, remote: { env: {} } });
    const content = readFileSync(join(FIXTURES, 'translate', 'promptfooconfig.yaml'), 'utf8');
    const res = await app.router.handle('evals.suites.import', { format: 'yaml', content }, { transport: 'test' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('SUITE_INVALID');
    expect(res.error.message).toMatch(/file:\/\/prompts\/translate\.txt: this import has no folder/);
    expect(res.error.message).toMatch(/file:\/\/tests\.csv: this import has no folder/);
    const list = await app.router.handle('evals.suites.list', {}, { transport: 'test' });
    expect(list.ok && list.data).toEqual([]);
  });
});
