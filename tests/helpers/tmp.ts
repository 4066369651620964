import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder removed when the `using` scope ends. */
export function tempDir(prefix = 'parity-test-'): { path: string } & Disposable {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

const modelsDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'models');
/** ../shared/models, resolved through symlinks: the library records linked files by their real path. */
export const MODELS_DIR = existsSync(modelsDir) ? realpathSync(modelsDir) : modelsDir;
export const STORIES_MODEL = join(MODELS_DIR, 'stories260K.gguf');
export const TINY_RANDOM_MODEL = join(MODELS_DIR, 'llama-2-tiny-random.gguf');
export const SYNTHETIC_MODEL = join(MODELS_DIR, 'synthetic-84m-q4_0.gguf');

/**
 * tests/fixtures/suites/stories.yaml with its model set to `ref` (stories260K by default): a suite
 * whose outcome is known in advance at temperature 0, seed 1, 24 tokens: the "story" case passes
 * `icontains`, the "json" case is prose and fails `is-json`. Pass rate 50%.
 */
export function storiesSuiteYaml(ref = `local:${STORIES_MODEL}`): string {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'suites', 'stories.yaml'), 'utf8').replace('local:STORIES', ref);
}
