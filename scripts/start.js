#!/usr/bin/env node
// `npm start`: makes sure the Electron runtime is on this machine, then runs `electron-vite preview`
// (build, then launch). Electron 45 downloads its runtime on first launch, but electron-vite looks
// for it before anything would download it and stops with "Error: Electron uninstall" and a stack
// trace; so the first start downloads it here, and says what to run when that is impossible.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const INSTALL_COMMAND = 'node node_modules/electron/install.js';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) fail(`Parity needs Node 22 or newer; this is Node ${process.versions.node}. See "Set up and run" in README.md.`);

function resolveDir(pkg) {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return null;
  }
}

const electronDir = resolveDir('electron');
const electronViteDir = resolveDir('electron-vite');
if (!electronDir || !electronViteDir) fail('The development dependencies are not installed. Run `npm install` in the project folder first.');

/** The runtime as electron-vite will look for it: ELECTRON_EXEC_PATH, else path.txt naming a file under dist/. */
function runtimePresent() {
  if (process.env.ELECTRON_EXEC_PATH) return existsSync(process.env.ELECTRON_EXEC_PATH);
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist');
  return existsSync(join(distDir, readFileSync(pathFile, 'utf8').trim()));
}

if (!runtimePresent()) {
  process.stderr.write('The first start downloads the Electron runtime (about 100 MB, once) into node_modules/electron...\n');
  // Its output is kept: on failure it prints a stack trace, of which only the reason is useful here.
  const install = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (install.status !== 0 || !runtimePresent()) {
    const reason = (install.stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('at ')) ?? (install.error ? install.error.message : `the installer exited with code ${install.status}`);
    fail(
      [
        `The Electron runtime is not downloaded yet, and downloading it failed (${reason}).`,
        'Connect to the internet (or set ELECTRON_MIRROR to a mirror you can reach) and run, in the project folder:',
        `  ${INSTALL_COMMAND}`,
        'then `npm start` again. Without Electron, `npx parity serve` runs the same app in your browser.',
      ].join('\n'),
    );
  }
}

const pkg = JSON.parse(readFileSync(join(electronViteDir, 'package.json'), 'utf8'));
const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
const child = spawn(process.execPath, [join(electronViteDir, bin), 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
