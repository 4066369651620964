import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';

const SCAN_MAX_DEPTH = 4;

/** Every .gguf under `dir` (a few levels deep), sorted; dot-files are skipped, which includes our own temporary and .partial files. */
export async function findGgufs(dir: string, depth = 0): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory() && depth < SCAN_MAX_DEPTH) files.push(...(await findGgufs(full, depth + 1)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.gguf')) files.push(full);
  }
  return files;
}

export function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || value.toLowerCase().endsWith('.gguf');
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'model';
}

/** `dir/fileName`, or `stem-2.ext`, `stem-3.ext`… when taken (on disk, or by `taken`). */
export function uniquePath(dir: string, fileName: string, taken: (path: string) => boolean = () => false): string {
  const ext = extname(fileName);
  const stem = basename(fileName, ext);
  let candidate = join(dir, fileName);
  for (let i = 2; existsSync(candidate) || taken(candidate); i++) candidate = join(dir, `${stem}-${i}${ext}`);
  return candidate;
}
