// Builds the app after `npm install` so `npx parity` and `npm start` work straight away.
// Skipped where the build tools are absent (a production install of the published package).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/electron-vite') || process.env.PARITY_SKIP_PREPARE === '1') process.exit(0);
const r = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
