import type { z } from 'zod';
import { AppError } from '../../../../shared/errors';

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(root)';
}

/** The one error a bad suite file gets: says where (line, field) and what is wrong. */
export function suiteInvalid(format: string, line: number | null, field: string | null, problem: string): AppError {
  const where = [line !== null ? `line ${line}` : null, field ? `field "${field}"` : null].filter(Boolean).join(', ');
  return new AppError('SUITE_INVALID', `Invalid ${format} suite${where ? ` at ${where}` : ''}: ${problem}`, { format, line, field });
}

/** The first zod issue as a suite error; `lineOf` maps the issue's path to a line when it can. */
export function fromZodIssue(format: string, error: z.ZodError, lineOf: (path: PropertyKey[]) => number | null, prefix: PropertyKey[] = []): AppError {
  const first = error.issues[0];
  if (!first) return suiteInvalid(format, null, null, 'the file does not describe a suite');
  const { path: inner, message } = specificIssue(first);
  const path = [...prefix, ...inner];
  return suiteInvalid(format, lineOf(path), formatPath(path), message);
}

/**
 * A union (`providers: string | {id, config}`) fails as a whole; the useful message is in the
 * branch that got furthest, i.e. the one whose issue has the deepest path.
 */
function specificIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path: issue.path, message: issue.message };
  let best: { path: PropertyKey[]; message: string } | null = null;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      const candidate = specificIssue(sub);
      const full = { path: [...issue.path, ...candidate.path], message: candidate.message };
      if (!best || full.path.length > best.path.length) best = full;
    }
  }
  return best && best.path.length > issue.path.length ? best : { path: issue.path, message: issue.message };
}
