import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const ROOT = join(import.meta.dirname, '..', '..');
// With the runtime present the script would launch the desktop app; this test is about its absence.
const runtimeInstalled = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

describe('npm start without the Electron runtime', () => {
  it('is this script', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node scripts/start.js');
  });

  it.skipIf(runtimeInstalled)('fails with what happened and the command that fixes it, without a stack trace', () => {
    using cache = tempDir();
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      // A mirror that refuses at once and an empty download cache: the download fails the same way on every machine, online or not.
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache.path, ELECTRON_EXEC_PATH: '', ELECTRON_OVERRIDE_DIST_PATH: '' },
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('The first start downloads the Electron runtime');
    expect(result.stderr).toContain('The Electron runtime is not downloaded yet');
    expect(result.stderr).toContain('node node_modules/electron/install.js');
    expect(result.stderr).not.toContain('Electron uninstall');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  });
});
