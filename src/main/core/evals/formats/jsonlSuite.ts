import { z } from 'zod';
import { DefaultTestSpecSchema, EvalCaseSpecSchema, PromptSpecSchema, SuiteProviderSpecSchema, SuiteSpecSchema, type SuiteSpec } from '../../../../shared/domain/evals';
import { GenerationParamsSchema } from '../../../../shared/domain/generation';
import { formatPath, suiteInvalid } from './suiteErrors';

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

export function parseJsonlSuite(content: string, name = 'Imported JSONL suite'): SuiteSpec {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  let header: z.infer<typeof HeaderSchema>['suite'] = {};
  const cases: z.infer<typeof EvalCaseSpecSchema>[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    if (!text.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw suiteInvalid('JSONL', line, null, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (value && typeof value === 'object' && 'suite' in value && cases.length === 0) {
      const parsed = HeaderSchema.safeParse(value);
      if (!parsed.success) throw suiteInvalid('JSONL', line, formatPath(parsed.error.issues[0]!.path), parsed.error.issues[0]!.message);
      header = parsed.data.suite;
      return;
    }
    const parsed = LineCaseSchema.safeParse(value);
    if (!parsed.success) throw suiteInvalid('JSONL', line, formatPath(parsed.error.issues[0]!.path), parsed.error.issues[0]!.message);
    cases.push({ ...parsed.data, id: parsed.data.id ?? `line-${line}` });
  });
  if (cases.length === 0) throw suiteInvalid('JSONL', null, null, 'the file has no cases (one JSON object per line)');
  const checked = SuiteSpecSchema.safeParse({ ...header, name: header.name ?? name, cases });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw suiteInvalid('JSONL', null, formatPath(issue.path), issue.message);
  }
  return checked.data;
}

export function toJsonlSuite(spec: SuiteSpec): string {
  const { cases, ...suite } = spec;
  return [JSON.stringify({ suite }), ...cases.map((c) => JSON.stringify(c))].join('\n') + '\n';
}
