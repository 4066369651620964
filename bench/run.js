#!/usr/bin/env node
// `npm run bench [name]`: runs bench/*.bench-run.ts (optionally only those whose name contains `name`)
// with vitest, output inherited so the printed ratios are visible.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const args = ['vitest', 'run', '--config', 'bench/vitest.config.ts'];
if (filter) args.push(filter);
// Benchmarks that go through `parity serve` or the renderer measure the built app: build it first.
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], shell: process.platform === 'win32' });
if (build.status !== 0) {
  console.error('bench: the build failed; fix it before benchmarking.');
  process.exit(1);
}
const child = spawn('npx', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  process.exitCode = code ?? 1;
});
