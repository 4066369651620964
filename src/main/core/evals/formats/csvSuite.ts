import Papa from 'papaparse';
import { splitAssertionType, SuiteSpecSchema, type AssertionSpec, type EvalCaseSpec, type SuiteSpec } from '../../../../shared/domain/evals';
import { ImportReport } from '../promptfoo/importReport';
import { formatPath, suiteInvalid } from './suiteErrors';

/**
 * promptfoo's CSV shape: one test per row; plain columns are vars; `__expected` (also
 * `__expected1`, `__expected2`...) holds `type:value` assertions (a bare value means equals);
 * `__description`, `__threshold` and `__id` are optional.
 */
const SPECIAL = /^__(expected\d*|description|threshold|id|prompt|system|metric)$/;

/** `contains:foo`, `not-icontains:bar`, `similar(0.8):text`, `grade:rubric`, `is-json`. */
export function parseExpected(text: string): AssertionSpec {
  const m = /^(not-)?([a-z][a-z-]*)(?:\((\d*\.?\d+)\))?(?::([\s\S]*))?$/.exec(text.trim());
  if (m) {
    const [, not = '', rawType, threshold, value] = m;
    const aliases: Record<string, string> = { grade: 'llm-rubric', fn: 'javascript', eval: 'javascript', 'json-schema': 'json-schema' };
    const type = `${not}${aliases[rawType!] ?? rawType}`;
    if (splitAssertionType(type) && (value !== undefined || !/^(equals|contains|icontains|regex|starts-with|llm-rubric|javascript|similar)$/.test(type.replace(/^not-/, '')))) {
      const listType = /-(any|all)$/.test(type);
      return {
        type,
        ...(value !== undefined ? { value: listType ? value.split(',').map((v) => v.trim()) : value } : {}),
        ...(threshold !== undefined ? { threshold: Number(threshold) } : {}),
      };
    }
  }
  return { type: 'equals', value: text };
}

function lineAtOffset(content: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < content.length; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

/** Every problem of the file is collected and reported at once (SUITE_INVALID listing them). */
export function parseCsvSuite(content: string, name = 'Imported CSV suite'): SuiteSpec {
  const report = new ImportReport(() => null);
  const rows: { data: string[]; line: number }[] = [];
  let start = 0;
  Papa.parse<string[]>(content.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    step: (result) => {
      const line = lineAtOffset(content, start);
      // The cursor is the end of this row; skip the newline(s) to find where the next starts.
      start = result.meta.cursor;
      while (content[start] === '\n' || content[start] === '\r') start++;
      // An undetectable delimiter falls back to the comma, as promptfoo's CSV reader uses: not a problem.
      for (const e of result.errors) if (e.code !== 'UndetectableDelimiter') report.problemAt(line, null, e.message);
      rows.push({ data: result.data, line });
    },
  });
  report.throwIfProblems('CSV');
  const header = rows.shift();
  if (!header || header.data.every((h) => !h.trim())) throw suiteInvalid('CSV', 1, null, 'the first line must name the columns');
  const columns = header.data.map((h) => h.trim());
  // promptfoo's other special columns (__prefix, __config:...) are listed as ignored, not refused.
  const ignoredColumns: string[] = [];
  columns.forEach((c, i) => {
    if (!c) report.problemAt(header.line, `column ${i + 1}`, 'a column has no name');
    else if (c.startsWith('__') && !SPECIAL.test(c) && !c.startsWith('__metadata')) ignoredColumns.push(c);
  });
  if (rows.length === 0) report.problemAt(2, null, 'the file has a header but no test rows');
  report.throwIfProblems('CSV');
  const cases: EvalCaseSpec[] = rows.map(({ data, line }, index) => {
    const c: EvalCaseSpec = { id: `row-${index + 1}`, vars: {}, assert: [] };
    let metric: string | undefined;
    if (data.length !== columns.length) {
      const field = columns[Math.min(data.length, columns.length - 1)]!;
      report.problemAt(line, field, `expected ${columns.length} fields, found ${data.length}`);
      return c;
    }
    columns.forEach((col, i) => {
      const value = data[i] ?? '';
      if (col.startsWith('__expected')) {
        if (value.trim()) c.assert.push(parseExpected(value));
      } else if (col === '__description') {
        if (value) c.description = value;
      } else if (col === '__metric') {
        if (value) metric = value;
      } else if (col === '__id') {
        if (value) c.id = value;
      } else if (col === '__prompt') {
        if (value) c.prompt = value;
      } else if (col === '__system') {
        if (value) c.system = value;
      } else if (col === '__threshold') {
        if (value.trim()) {
          const t = Number(value);
          if (!Number.isFinite(t) || t < 0 || t > 1) report.problemAt(line, col, `threshold must be a number from 0 to 1, got ${JSON.stringify(value)}`);
          else c.threshold = t;
        }
      } else if (!col.startsWith('__')) {
        c.vars[col] = value;
      }
    });
    // promptfoo's __metric names every assertion of the row.
    if (metric) c.assert = c.assert.map((a) => ({ ...a, metric }));
    return c;
  });
  const varNames = columns.filter((c) => !c.startsWith('__'));
  // Without a prompt column, a single var is the whole prompt (promptfoo users pass --prompts).
  const prompts = varNames.includes('prompt') || varNames.length !== 1 ? [{ template: '{{prompt}}' }] : [{ template: `{{${varNames[0]}}}` }];
  const checked = SuiteSpecSchema.safeParse({ name, prompts, cases });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const row = issue.path[0] === 'cases' && typeof issue.path[1] === 'number' ? rows[issue.path[1]] : undefined;
      report.problemAt(row?.line ?? null, formatPath(issue.path[0] === 'cases' ? issue.path.slice(2) : issue.path), issue.message);
    }
  }
  report.throwIfProblems('CSV');
  const spec = checked.data!;
  if (ignoredColumns.length) spec.imported = { references: [], warnings: [`line ${header.line}: ignored columns ${ignoredColumns.join(', ')} (Parity reads __expected, __description, __threshold, __metric, __id)`] };
  return spec;
}

function assertionToExpected(a: AssertionSpec): string | null {
  if (a.weight !== undefined || a.provider !== undefined || a.metric !== undefined) return null;
  if (typeof a.value === 'object' && !Array.isArray(a.value) && a.value !== undefined) return null;
  const value = Array.isArray(a.value) ? a.value.join(',') : a.value === undefined ? undefined : String(a.value);
  const t = a.threshold !== undefined ? `(${a.threshold})` : '';
  return value === undefined ? `${a.type}${t}` : `${a.type}${t}:${value}`;
}

/** CSV keeps what promptfoo's CSV can say; weights, graders and schema values need YAML. */
export function toCsvSuite(spec: SuiteSpec): string {
  const varNames = [...new Set(spec.cases.flatMap((c) => Object.keys(c.vars)))];
  const maxAsserts = Math.max(1, ...spec.cases.map((c) => c.assert.length));
  const expectedCols = Array.from({ length: maxAsserts }, (_, i) => (i === 0 ? '__expected' : `__expected${i + 1}`));
  const rows = spec.cases.map((c) => {
    const row: Record<string, string> = { __id: c.id, __description: c.description ?? '', __threshold: c.threshold?.toString() ?? '' };
    for (const v of varNames) row[v] = c.vars[v] === undefined ? '' : String(c.vars[v]);
    c.assert.forEach((a, i) => {
      row[expectedCols[i]!] = assertionToExpected(a) ?? '';
    });
    if (c.assert.length === 0 && c.expected !== undefined) row.__expected = c.expected;
    return row;
  });
  return Papa.unparse({ fields: [...varNames, ...expectedCols, '__description', '__threshold', '__id'], data: rows.map((r) => [...varNames, ...expectedCols, '__description', '__threshold', '__id'].map((f) => r[f] ?? '')) });
}
