import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failedMetrics, withFailure } from '../../src/main/core/generation/failedMetrics';
import { AppError } from '../../src/shared/errors';

const ROOT = join(import.meta.dirname, '..', '..');
const HOME = 'src/main/core/generation/failedMetrics.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('failed metrics', () => {
  it(`are made in one place, ${HOME}`, () => {
    const found = sources(join(ROOT, 'src', 'main')).flatMap((path) => {
      const rel = relative(ROOT, path).split('\\').join('/');
      if (rel === HOME) return [];
      return readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/stopReason:\s*'error'/.test(line) ? [`${rel}:${i + 1}: ${line.trim()}`] : []));
    });
    expect(found).toEqual([]);
  });

  it('name the provider and model, the error and the time; a stop is not an error', () => {
    const failed = failedMetrics('compat:ollama/llama3.2', new AppError('PROVIDER_BAD_RESPONSE', 'The model ended without a result.'), { aborted: false, totalMs: 12 });
    expect(failed).toMatchObject({ provider: 'compat', model: 'ollama/llama3.2', stopReason: 'error', totalMs: 12, error: { code: 'PROVIDER_BAD_RESPONSE' } });
    expect(failedMetrics('local:abc', new AppError('ABORTED', 'stopped'), { aborted: true })).toMatchObject({ stopReason: 'aborted', error: null });
    // After some text, the provider's usage stays and only the outcome changes.
    expect(withFailure({ ...failed, completionTokens: 7, stopReason: 'eos', error: null }, new AppError('PROVIDER_TIMEOUT', 'too slow'))).toMatchObject({
      completionTokens: 7,
      stopReason: 'error',
      error: { code: 'PROVIDER_TIMEOUT', message: 'too slow' },
    });
  });
});
