// Run after `electron-vite build` (npm run build): prints what the renderer's first load fetches
// and evaluates (the entry script and the chunks index.html preloads) and fails above the budget,
// so a static import of a heavy widget (charts, markdown) is caught where it is added.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'renderer');
const BUDGET_BYTES = Number(process.env.PARITY_BUNDLE_BUDGET_KB ?? 400) * 1000;

const html = join(outDir, 'index.html');
if (!existsSync(html)) {
  console.error(`bundle-size: ${html} is missing; run electron-vite build first.`);
  process.exit(1);
}
const text = readFileSync(html, 'utf8');
// Vite writes the entry as a module script and every chunk it statically imports as modulepreload.
const scripts = [...text.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
const preloads = [...text.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
const styles = [...text.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
if (scripts.length === 0) {
  console.error('bundle-size: no module script in out/renderer/index.html; has the build layout changed?');
  process.exit(1);
}

const sizeOf = (href) => {
  const file = join(outDir, href);
  return { href, bytes: statSync(file).size, gzip: gzipSync(readFileSync(file)).length };
};
const js = [...scripts, ...preloads].map(sizeOf);
const css = styles.map(sizeOf);
const sum = (files, key) => files.reduce((s, f) => s + f[key], 0);
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

const jsBytes = sum(js, 'bytes');
console.log('renderer initial load (entry + preloaded chunks):');
for (const f of js) console.log(`  ${f.href.padEnd(44)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip)}`);
console.log(`  JavaScript ${kb(jsBytes)} (gzip ${kb(sum(js, 'gzip'))}), CSS ${kb(sum(css, 'bytes'))}; budget ${kb(BUDGET_BYTES)} of JavaScript`);
if (jsBytes > BUDGET_BYTES) {
  console.error(
    `bundle-size: the initial renderer JavaScript is ${kb(jsBytes)}, over the ${kb(BUDGET_BYTES)} budget. ` +
      'Load the new page or widget with React.lazy (see src/renderer/app/pages.ts) instead of importing it statically.',
  );
  process.exit(1);
}
