#!/usr/bin/env node
// Thin launcher: checks the Node version and that the CLI is built, then hands over.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`parity needs Node 22 or newer; this is Node ${process.versions.node}.\n`);
  process.exit(1);
}
const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('parity is not built yet. Run `npm run build` in the project folder first.\n');
  process.exit(1);
}
await import(cli.href);
