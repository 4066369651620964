import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Suite, SuiteSummary, SuiteVersionInfo } from '../../../shared/contract/evals';
import { SuiteSpecSchema, type SuiteSpec } from '../../../shared/domain/evals';
import { AppError, NotFoundError } from '../../../shared/errors';
import type { Store } from './Store';

const SuiteRowSchema = z.object({ id: z.string(), name: z.string(), created_at: z.string(), updated_at: z.string() });
const VersionRowSchema = z.object({
  suite_id: z.string(),
  version: z.number().int(),
  spec: z.string(),
  message: z.string().nullable(),
  created_at: z.string(),
});

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Suites with immutable versions: a save appends, a rollback appends an old spec again. */
export class SuiteRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  list(): SuiteSummary[] {
    const rows = this.#store.run(() =>
      this.#store.db
        .prepare(
          `SELECT s.id, s.name, s.created_at, s.updated_at, v.version, v.spec
           FROM eval_suites s JOIN eval_suite_versions v ON v.suite_id = s.id
           WHERE v.version = (SELECT MAX(version) FROM eval_suite_versions WHERE suite_id = s.id)
           ORDER BY s.updated_at DESC`,
        )
        .all(),
    );
    return rows.map((raw) => {
      const row = SuiteRowSchema.extend({ version: z.number().int(), spec: z.string() }).parse(raw);
      const spec = SuiteSpecSchema.parse(JSON.parse(row.spec));
      return {
        id: row.id,
        name: row.name,
        description: spec.description ?? null,
        latestVersion: row.version,
        caseCount: spec.cases.length,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      };
    });
  }

  /** Finds a suite by exact name (the CLI reuses one suite per file name). */
  findByName(name: string): string | null {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT id FROM eval_suites WHERE name = ? ORDER BY created_at LIMIT 1').get(name));
    return row ? z.object({ id: z.string() }).parse(row).id : null;
  }

  /**
   * Stores `spec` under its name: a new suite, a new version when it differs from the latest, or
   * nothing when it is the same suite (compared as parsed specs, so key order does not matter).
   */
  saveByName(spec: SuiteSpec, message: string): { suite: Suite; outcome: 'created' | 'new-version' | 'unchanged' } {
    return this.#store.transaction(() => {
      const id = this.findByName(spec.name);
      if (id === null) return { suite: this.create(spec, message), outcome: 'created' as const };
      const latest = this.get(id);
      if (canonicalJson(latest.spec) === canonicalJson(SuiteSpecSchema.parse(spec))) return { suite: latest, outcome: 'unchanged' as const };
      return { suite: this.save(id, spec, { message, baseVersion: latest.version }), outcome: 'new-version' as const };
    });
  }

  create(spec: SuiteSpec, message?: string): Suite {
    const id = randomUUID();
    const now = new Date().toISOString();
    this.#store.transaction(() => {
      this.#store.db.prepare('INSERT INTO eval_suites (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, spec.name, now, now);
      this.#insertVersion(id, 1, spec, message ?? 'created', now);
    });
    return this.get(id);
  }

  /** Appends `spec` as the next version. `baseVersion` guards against overwriting someone else's save. */
  save(id: string, spec: SuiteSpec, options: { message?: string; baseVersion?: number } = {}): Suite {
    const now = new Date().toISOString();
    this.#store.transaction(() => {
      const latest = this.#latestVersion(id);
      if (options.baseVersion !== undefined && options.baseVersion !== latest) {
        throw new AppError('CONFLICT', `Suite was saved elsewhere (now at version ${latest}, you edited version ${options.baseVersion}). Reload it and apply your change again.`, {
          id,
          latest,
          baseVersion: options.baseVersion,
        });
      }
      this.#insertVersion(id, latest + 1, spec, options.message ?? null, now);
      this.#store.db.prepare('UPDATE eval_suites SET name = ?, updated_at = ? WHERE id = ?').run(spec.name, now, id);
    });
    return this.get(id);
  }

  get(id: string, version?: number): Suite {
    const latest = this.#latestVersion(id);
    const v = version ?? latest;
    const raw = this.#store.run(() =>
      this.#store.db.prepare('SELECT * FROM eval_suite_versions WHERE suite_id = ? AND version = ?').get(id, v),
    );
    if (!raw) throw new NotFoundError('Suite version', `${id}@${v}`);
    const row = VersionRowSchema.parse(raw);
    const spec = SuiteSpecSchema.parse(JSON.parse(row.spec));
    return { id, name: spec.name, version: row.version, latestVersion: latest, message: row.message, spec, createdAt: row.created_at };
  }

  versions(id: string): SuiteVersionInfo[] {
    this.#latestVersion(id);
    const rows = this.#store.run(() =>
      this.#store.db.prepare('SELECT * FROM eval_suite_versions WHERE suite_id = ? ORDER BY version DESC').all(id),
    );
    return rows.map((raw) => {
      const row = VersionRowSchema.parse(raw);
      const spec = SuiteSpecSchema.parse(JSON.parse(row.spec));
      return { version: row.version, message: row.message, caseCount: spec.cases.length, createdAt: row.created_at };
    });
  }

  delete(id: string): boolean {
    const info = this.#store.run(() => this.#store.db.prepare('DELETE FROM eval_suites WHERE id = ?').run(id));
    return info.changes > 0;
  }

  #latestVersion(id: string): number {
    const row = this.#store.run(() =>
      this.#store.db.prepare('SELECT MAX(version) AS v FROM eval_suite_versions WHERE suite_id = ?').get(id),
    );
    const v = z.object({ v: z.number().int().nullable() }).parse(row).v;
    if (v === null) throw new NotFoundError('Suite', id);
    return v;
  }

  #insertVersion(id: string, version: number, spec: SuiteSpec, message: string | null, now: string): void {
    this.#store.db
      .prepare('INSERT INTO eval_suite_versions (suite_id, version, spec, message, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, version, JSON.stringify(spec), message, now);
  }
}
