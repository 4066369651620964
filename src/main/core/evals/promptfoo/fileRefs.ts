import { globSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../../shared/errors';
import type { ConfigPath, ImportReport } from './importReport';

export interface ResolvedFile {
  /** As written in the config, with the glob expanded: `file://prompts/a.txt`. */
  ref: string;
  /** Path relative to the config's folder, `/`-separated. */
  rel: string;
  abs: string;
  /** Lower-case extension without the dot (`txt`, `csv`); '' when none. */
  ext: string;
}

const GLOB = /[*?[\]{}]/;

/** Largest file a suite may pull in: its content is stored with every suite version. */
export const MAX_FILE_BYTES = 20_000_000;
export const MAX_GLOB_FILES = 1000;

/** `file://a.js:fn` → path `a.js` and function `fn` (promptfoo's syntax for a named export). */
export function splitFunctionName(path: string): { path: string; fn: string | null } {
  const m = /^(.*\.(?:js|cjs|mjs|ts|py)):([A-Za-z_$][\w$]*)$/.exec(path);
  return m ? { path: m[1]!, fn: m[2]! } : { path, fn: null };
}

export function isFileRef(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('file://');
}

/**
 * Resolves `file://` references relative to the config's folder, as promptfoo does, with one
 * difference: a suite is untrusted, so a reference may not leave that folder (an absolute path,
 * `../`, or a symlink out of it would let a shared config read any file into a prompt that may go
 * to a remote model). Every resolved reference is recorded so the stored suite can say where its
 * content came from.
 */
export class FileResolver {
  readonly references: string[] = [];
  readonly #baseDir: string | null;
  readonly #report: ImportReport;

  constructor(baseDir: string | null, report: ImportReport) {
    this.#baseDir = baseDir === null ? null : realpathSync(resolve(baseDir));
    this.#report = report;
  }

  /** Files a reference names (a glob may name several, in sorted order); [] after reporting a problem. */
  resolve(reference: string, at: ConfigPath): ResolvedFile[] {
    if (!this.references.includes(reference)) this.references.push(reference);
    const path = reference.slice('file://'.length);
    if (this.#baseDir === null) {
      this.#report.problem(at, `${reference}: this import has no folder to read files from; import the config from its file on disk (\`parity eval <config.yaml>\`, or Import from file in the app) so references resolve next to it`);
      return [];
    }
    if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) {
      this.#report.problem(at, `${reference}: a reference must stay inside the config's folder (${this.#baseDir}); copy the file next to the config`);
      return [];
    }
    const rels = GLOB.test(path) ? globSync(path, { cwd: this.#baseDir }).sort() : [path];
    if (rels.length > MAX_GLOB_FILES) {
      this.#report.problem(at, `${reference}: the pattern matches ${rels.length} files; at most ${MAX_GLOB_FILES} are read (narrow the pattern)`);
      return [];
    }
    const files: ResolvedFile[] = [];
    for (const rel of rels) {
      const abs = join(this.#baseDir, rel);
      let real: string;
      try {
        real = realpathSync(abs);
        if (!statSync(real).isFile()) throw new AppError('NOT_FOUND', `${abs} is a folder, not a file.`, { path: abs });
      } catch {
        this.#report.problem(at, `${reference}: no such file ${abs}`);
        continue;
      }
      if (real !== this.#baseDir && !real.startsWith(this.#baseDir + sep)) {
        this.#report.problem(at, `${reference}: ${rel} links outside the config's folder; copy the file next to the config`);
        continue;
      }
      const size = statSync(real).size;
      if (size > MAX_FILE_BYTES) {
        this.#report.problem(at, `${reference}: ${rel} is ${Math.round(size / 1e6)} MB; a suite file may be at most ${MAX_FILE_BYTES / 1e6} MB (its content is stored with the suite)`);
        continue;
      }
      const relPosix = relative(this.#baseDir, abs).split(sep).join('/');
      files.push({ ref: `file://${relPosix}`, rel: relPosix, abs: real, ext: extname(rel).slice(1).toLowerCase() });
    }
    if (rels.length === 0) this.#report.problem(at, `${reference}: no file matches this pattern in ${this.#baseDir}`);
    return files;
  }

  read(file: ResolvedFile): string {
    return readFileSync(file.abs, 'utf8').replace(/^\uFEFF/, '');
  }

  readBase64(file: ResolvedFile): string {
    return readFileSync(file.abs).toString('base64');
  }
}
