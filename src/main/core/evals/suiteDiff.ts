import { createHash } from 'node:crypto';
import type { SuiteDiff } from '../../../shared/contract/evals';
import type { SuiteSpec } from '../../../shared/domain/evals';
import { planCases } from './SuitePlan';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A structured diff: changed suite fields, then cases added, removed or changed (matched by id). */
export function diffSuites(from: number, a: SuiteSpec, to: number, b: SuiteSpec): SuiteDiff {
  const fields: SuiteDiff['fields'] = [];
  for (const key of ['name', 'description', 'prompts', 'providers', 'defaultParams', 'defaultTest'] as const) {
    if (!same(a[key], b[key])) fields.push({ field: key, before: a[key], after: b[key] });
  }
  const before = new Map(a.cases.map((c) => [c.id, c]));
  const after = new Map(b.cases.map((c) => [c.id, c]));
  const cases: SuiteDiff['cases'] = [];
  for (const [id, c] of before) {
    const next = after.get(id);
    if (!next) {
      cases.push({ caseId: id, change: 'removed', fields: [], before: c });
      continue;
    }
    const keys = [...new Set([...Object.keys(c), ...Object.keys(next)])] as (keyof typeof c)[];
    const changed = keys.filter((k) => !same(c[k], next[k]));
    if (changed.length) cases.push({ caseId: id, change: 'changed', fields: changed, before: c, after: next });
  }
  for (const [id, c] of after) if (!before.has(id)) cases.push({ caseId: id, change: 'added', fields: [], after: c });
  return { from, to, fields, cases };
}

/**
 * A fingerprint of what each case of the run grid asks and checks: everything the planner derives
 * for it (rendered messages, so a changed prompt or default var counts; merged assertions with
 * defaultTest; threshold, expected output, grader, and whatever the planner adds later), except
 * the description and prompt label, which change no result. Two runs measure the same thing on a
 * case only if these match.
 */
export function caseDefinitions(spec: SuiteSpec): Map<string, string> {
  return new Map(
    // testId only names the suite case a row came from (its caseId says it already): fingerprints stay as before it existed.
    planCases(spec).map(({ description: _description, promptLabel: _label, testId: _test, ...definition }) => [
      definition.caseId,
      createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16),
    ]),
  );
}
