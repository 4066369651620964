import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { DocumentKind } from '../../../shared/contract/docs';
import { AppError, ValidationError } from '../../../shared/errors';
import { documentKind, SUPPORTED_EXTENSIONS } from './parseDocument';

export interface FoundFile {
  path: string;
  name: string;
  kind: DocumentKind;
  sizeBytes: number;
}

/**
 * Files to index from what a user named: files as given (an unsupported type is an error, since it
 * was asked for by name), folders recursively with only supported types and no hidden entries.
 * Everything is checked before anything is queued, so one bad path leaves the collection as it was.
 */
export async function expandPaths(paths: readonly string[]): Promise<FoundFile[]> {
  const found = new Map<string, FoundFile>();
  for (const raw of paths) {
    const path = resolve(raw);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      throw new AppError('NOT_FOUND', code === 'ENOENT' ? `No file or folder at ${path}.` : `Cannot read ${path} (${String(code ?? error)}).`, { path });
    }
    if (info.isDirectory()) {
      for await (const file of walk(path)) found.set(file.path, file);
      continue;
    }
    const kind = documentKind(path);
    if (kind === null) {
      throw new ValidationError(`${basename(path)} is not a supported document type. Supported: ${SUPPORTED_EXTENSIONS.join(', ')}.`, { path });
    }
    found.set(path, { path, name: basename(path), kind, sizeBytes: info.size });
  }
  return [...found.values()];
}

async function* walk(dir: string): AsyncGenerator<FoundFile> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) {
      const kind = documentKind(path);
      if (kind !== null) yield { path, name: entry.name, kind, sizeBytes: (await stat(path)).size };
    }
  }
}
