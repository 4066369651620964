import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalServiceFor } from '../helpers/evalService';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { Store } from '../../src/main/core/store/Store';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { AppError } from '../../src/shared/errors';
import { tempDir } from '../helpers/tmp';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'suites', name), 'utf8');

function open(path: string) {
  const store = Store.open({ path });
  const evals = evalServiceFor({ store, generation: new GenerationService(new ProviderRegistry()), sandbox: new ScriptSandbox() });
  return { store, evals, [Symbol.dispose]: () => store.dispose() };
}

const spec = SuiteSpecSchema.parse({
  name: 'greetings',
  prompts: [{ template: 'Say hello to {{name}}' }],
  cases: [
    { id: 'ada', vars: { name: 'Ada' }, assert: [{ type: 'contains', value: 'Ada' }] },
    { id: 'bob', vars: { name: 'Bob' }, assert: [{ type: 'contains', value: 'Bob' }] },
  ],
});

describe('suite versions', () => {
  it('every save is a new immutable version; diff and rollback work across a reopen', () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    let id: string;
    {
      using app = open(path);
      const v1 = app.evals.createSuite(spec);
      id = v1.id;
      const changed = {
        ...spec,
        description: 'now with Cy',
        cases: [
          { ...spec.cases[0]!, vars: { name: 'Ada L.' } },
          { id: 'cy', vars: { name: 'Cy' }, assert: [] },
        ],
      };
      const v2 = app.evals.saveSuite(id, changed, { message: 'edit', baseVersion: 1 });
      expect(v2).toMatchObject({ version: 2, latestVersion: 2, message: 'edit' });
      // A stale editor cannot overwrite version 2.
      expect(() => app.evals.saveSuite(id, spec, { baseVersion: 1 })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    }
    using app = open(path);
    expect(app.evals.versions(id).map((v) => v.version)).toEqual([2, 1]);
    expect(app.evals.getSuite(id, 1).spec).toEqual(spec);
    const diff = app.evals.diff(id, 1, 2);
    expect(diff.fields.map((f) => f.field)).toEqual(['description']);
    expect(diff.cases.map((c) => [c.caseId, c.change, c.fields])).toEqual([
      ['ada', 'changed', ['vars']],
      ['bob', 'removed', []],
      ['cy', 'added', []],
    ]);
    const v3 = app.evals.rollback(id, 1);
    expect(v3.version).toBe(3);
    expect(v3.spec).toEqual(spec);
    expect(app.evals.getSuite(id, 2).spec.cases.map((c) => c.id)).toEqual(['ada', 'cy']);
    expect(app.evals.listSuites()).toMatchObject([{ id, latestVersion: 3, caseCount: 2 }]);
    expect(app.evals.deleteSuite(id)).toBe(true);
    expect(() => app.evals.getSuite(id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('imports each format; a malformed file stores nothing', () => {
    using dir = tempDir();
    using app = open(join(dir.path, 'p.db'));
    const yaml = app.evals.importSuite({ format: 'yaml', content: fixture('promptfoo-translate.yaml') });
    expect(yaml.spec.cases).toHaveLength(3);
    const csv = app.evals.importSuite({ format: 'csv', content: fixture('cases.csv'), name: 'csv one' });
    expect(csv.name).toBe('csv one');
    const jsonl = app.evals.importSuite({ format: 'jsonl', content: fixture('cases.jsonl') });
    expect(jsonl.name).toBe('jsonl suite');
    const count = (): number => app.evals.listSuites().length;
    expect(count()).toBe(3);
    // An unknown assertion type no longer refuses a file (it is skipped with a warning); a file:// reference without the config's folder does.
    for (const [format, file] of [['yaml', 'bad-file-ref.yaml'], ['yaml', 'bad-syntax.yaml'], ['csv', 'bad-fields.csv'], ['jsonl', 'bad-field.jsonl']] as const) {
      let error: unknown;
      try {
        app.evals.importSuite({ format, content: fixture(file) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('SUITE_INVALID');
      expect((error as AppError).message).toMatch(/line \d+/);
    }
    // Importing as a new version of an existing suite fails the same way and adds no version.
    expect(() => app.evals.importSuite({ format: 'csv', content: fixture('bad-fields.csv'), suiteId: csv.id })).toThrow();
    expect(app.evals.versions(csv.id)).toHaveLength(1);
    expect(count()).toBe(3);
    const exported = app.evals.exportSuite(yaml.id, 'yaml');
    expect(exported.filename).toMatch(/\.yaml$/);
    const back = app.evals.importSuite({ format: 'yaml', content: exported.content, suiteId: yaml.id });
    expect(back.version).toBe(2);
    expect(app.evals.diff(yaml.id, 1, 2).cases).toEqual([]);
  });

  it('stores a suite by name once: the same spec with its keys in another order is unchanged, an edit is a new version', () => {
    using dir = tempDir();
    using app = open(join(dir.path, 'p.db'));
    expect(app.evals.storeSuiteByName(spec, 'cli')).toMatchObject({ outcome: 'created', suite: { version: 1 } });
    // What a file parsed again gives: equal content, keys in another order (JSON.stringify calls that a change).
    const reordered = JSON.parse(JSON.stringify({ cases: spec.cases.map((c) => ({ assert: c.assert, vars: c.vars, id: c.id })), prompts: spec.prompts, name: spec.name })) as typeof spec;
    const again = app.evals.storeSuiteByName(SuiteSpecSchema.parse(reordered), 'cli');
    expect(again).toMatchObject({ outcome: 'unchanged', suite: { version: 1 } });
    expect(app.evals.storeSuiteByName({ ...spec, cases: spec.cases.slice(0, 1) }, 'cli')).toMatchObject({ outcome: 'new-version', suite: { version: 2 } });
    expect(app.evals.listSuites()).toHaveLength(1);
  });
});
