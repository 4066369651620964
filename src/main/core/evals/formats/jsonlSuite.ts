import { z } from 'zod';
import { DefaultTestSpecSchema, EvalCaseSpecSchema, PromptSpecSchema, SuiteProviderSpecSchema, SuiteSpecSchema, type SuiteSpec } from '../../../../shared/domain/evals';
import { GenerationParamsSchema } from '../../../../shared/domain/generation';
import { ImportReport } from '../promptfoo/importReport';
import { assertionTypeWarning } from '../promptfoo/promptfooTests';
import { formatPath } from './suiteErrors';

/**
 * One case per line (`{"id", "vars", "assert", ...}`). An optional first line `{"suite": {...}}`
 * carries the name, prompts, providers and defaults, so an export imports back unchanged.
 */
const HeaderSchema = z.object({
  suite: z.object({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    prompts: z.array(PromptSpecSchema).optional(),
    providers: z.array(SuiteProviderSpecSchema).optional(),
    defaultParams: GenerationParamsSchema.optional(),
    defaultTest: DefaultTestSpecSchema.optional(),
  }),
});
const LineCaseSchema = EvalCaseSpecSchema.extend({ id: EvalCaseSpecSchema.shape.id.optional() });

/** Every problem of the file is collected and reported at once (SUITE_INVALID listing them). */
export function parseJsonlSuite(content: string, name = 'Imported JSONL suite'): SuiteSpec {
  const report = new ImportReport(() => null);
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: z.infer<typeof HeaderSchema>['suite'] = {};
  const cases: z.infer<typeof EvalCaseSpecSchema>[] = [];
  const caseLines: number[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    if (!text.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      report.problemAt(line, null, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      return;
    }
    if (value && typeof value === 'object' && 'suite' in value && cases.length === 0) {
      const parsed = HeaderSchema.safeParse(value);
      if (!parsed.success) for (const issue of parsed.error.issues) report.problemAt(line, formatPath(issue.path), issue.message);
      else header = parsed.data.suite;
      return;
    }
    const parsed = LineCaseSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) report.problemAt(line, formatPath(issue.path), issue.message);
      return;
    }
    cases.push({ ...parsed.data, id: parsed.data.id ?? `line-${line}` });
    caseLines.push(line);
  });
  if (cases.length === 0 && report.problems.length === 0) report.problemAt(null, null, 'the file has no cases (one JSON object per line)');
  report.throwIfProblems('JSONL');
  const checked = SuiteSpecSchema.safeParse({ ...header, name: header.name ?? name, cases });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const caseLine = issue.path[0] === 'cases' && typeof issue.path[1] === 'number' ? caseLines[issue.path[1]] : undefined;
      report.problemAt(caseLine ?? null, formatPath(caseLine !== undefined ? issue.path.slice(2) : issue.path), issue.message);
    }
  }
  report.throwIfProblems('JSONL');
  const spec = checked.data!;
  // An assertion type Parity cannot evaluate is kept and skipped per cell; the import says so.
  const warnings = spec.cases.flatMap((c, i) =>
    c.assert.flatMap((a, j) => {
      const w = assertionTypeWarning(a.type);
      return w ? [`line ${caseLines[i]}, field "assert[${j}].type": ${w}`] : [];
    }),
  );
  if (warnings.length) spec.imported = { references: spec.imported?.references ?? [], warnings };
  return spec;
}

export function toJsonlSuite(spec: SuiteSpec): string {
  const { cases, ...suite } = spec;
  return [JSON.stringify({ suite }), ...cases.map((c) => JSON.stringify(c))].join('\n') + '\n';
}
