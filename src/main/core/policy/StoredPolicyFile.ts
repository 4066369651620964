import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { EMPTY_POLICY, type DataPolicy } from '../../../shared/domain/dataPolicy';
import { AppError } from '../../../shared/errors';
import { parsePolicyYaml } from './loadPolicyFile';

export interface StoredPolicy {
  yaml: string;
  policy: DataPolicy | null;
  /** Why the file on disk does not load (edited by hand); null when it does. */
  error: AppError | null;
}

/**
 * The policy edited in Settings → Data policy, kept as YAML in the data folder, in the same
 * format as a `--policy` file (so it can be copied to a server as is, comments included).
 * Read on first use and again when the file changes (another process sharing the data folder
 * saved it); written whole and renamed, so a crash never leaves half a policy.
 */
export class StoredPolicyFile {
  readonly path: string;
  #cached: StoredPolicy | null = null;
  /** mtime of the file the cache was read from; null when there was no file. */
  #cachedMtime: number | null = null;

  constructor(path: string) {
    this.path = path;
  }

  read(): StoredPolicy {
    const mtime = statSync(this.path, { throwIfNoEntry: false })?.mtimeMs ?? null;
    if (this.#cached && mtime === this.#cachedMtime) return this.#cached;
    this.#cachedMtime = mtime;
    if (mtime === null) return (this.#cached = { yaml: '', policy: EMPTY_POLICY, error: null });
    const yaml = readFileSync(this.path, 'utf8');
    try {
      this.#cached = { yaml, policy: parsePolicyYaml(yaml, `The stored data policy ${this.path}`), error: null };
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('POLICY_INVALID', `The stored data policy ${this.path} cannot be read.`);
      this.#cached = { yaml, policy: null, error: appError };
    }
    return this.#cached;
  }

  /** Validates first: a policy that does not parse is refused and the stored one stays. */
  write(yaml: string): StoredPolicy {
    const policy = parsePolicyYaml(yaml, 'The data policy');
    const tmp = `${this.path}.tmp`;
    try {
      writeFileSync(tmp, yaml, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const readOnly = code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
      throw new AppError(
        readOnly ? 'STORE_READ_ONLY' : code === 'ENOSPC' ? 'DISK_FULL' : 'INTERNAL',
        `Cannot save the data policy to ${this.path}: ${error instanceof Error ? error.message : String(error)}. The policy in force is unchanged.`,
        { path: this.path },
      );
    }
    this.#cached = { yaml, policy, error: null };
    this.#cachedMtime = statSync(this.path, { throwIfNoEntry: false })?.mtimeMs ?? null;
    return this.#cached;
  }
}
