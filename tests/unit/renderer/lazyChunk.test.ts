import { describe, expect, it } from 'vitest';
import { loadChunk } from '../../../src/renderer/app/lazyChunk';
import { isAppError } from '../../../src/shared/errors';

describe('loadChunk', () => {
  it('passes a loaded module through', async () => {
    await expect(loadChunk(async () => 'module', 'the Chat page')).resolves.toBe('module');
  });

  it('a chunk that cannot be fetched says what it was and to reload, keeping the browser error as the cause', async () => {
    const fetchFailed = new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1:1/assets/EvalsPage-abc.js');
    const error = await loadChunk(() => Promise.reject(fetchFailed), 'the Evals page').catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INTERNAL', details: { what: 'the Evals page' }, cause: fetchFailed });
    expect((error as Error).message).toMatch(/the Evals page could not be loaded.*Reload the page/);
  });
});
