import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Builds the `parity` entry (src/main/cli/index.ts) the way `npm run build` does (Node 22 target,
 * dependencies external) into a temporary folder inside the project, so its imports resolve from
 * node_modules, and returns the path of the script. For tests that need a real process: its own
 * stdout pipe, exit code and signals. Takes a few seconds.
 */
export async function buildCli(): Promise<{ script: string; dir: string }> {
  const parent = join(ROOT, 'node_modules', '.cache');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'parity-cli-test-'));
  try {
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'silent',
      build: {
        ssr: join(ROOT, 'src', 'main', 'cli', 'index.ts'),
        target: 'node22',
        outDir: dir,
        emptyOutDir: false,
        minify: false,
        rollupOptions: { output: { format: 'es', entryFileNames: 'cli.mjs' } },
      },
    });
  } catch (error) {
    // A failed build leaves nothing behind in node_modules/.cache.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { script: join(dir, 'cli.mjs'), dir };
}
