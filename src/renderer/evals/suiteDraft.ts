import type { AssertionSpec, AssertionType, EvalCaseSpec, SuiteSpec } from '../../shared/contract';

/**
 * The editor works on strings (what inputs hold) and converts to the suite spec on save. Fields
 * the editor does not show (other prompts, providers, defaultTest...) are carried through intact.
 */

/** Every assertion type, in the order the select shows them. tsc fails below if the contract gains one. */
export const ASSERTION_TYPES = [
  'contains',
  'icontains',
  'equals',
  'starts-with',
  'regex',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'is-json',
  'contains-json',
  'json-schema',
  'is-valid-json-schema',
  'javascript',
  'latency',
  'cost',
  'is-refusal',
  'llm-rubric',
  'similar',
  'context-faithfulness',
  'context-recall',
  'context-relevance',
  'answer-relevance',
  'levenshtein',
  'rouge-n',
  'bleu',
  'word-count',
  'is-xml',
  'contains-xml',
  'is-sql',
  'contains-sql',
  'finish-reason',
  'is-valid-openai-tools-call',
  'is-valid-openai-function-call',
  'tool-call-f1',
  'assert-set',
  'g-eval',
  'select-best',
  'max-score',
  'moderation',
  'python',
] as const satisfies readonly AssertionType[];
type MissingType = Exclude<AssertionType, (typeof ASSERTION_TYPES)[number]>;
const _allTypesListed: [MissingType] extends [never] ? true : false = true;
void _allTypesListed;

/** Types whose value is a list: entered comma-separated. */
const LIST_TYPES = new Set(['contains-any', 'contains-all', 'icontains-any', 'icontains-all']);
const NUMBER_TYPES = new Set(['latency', 'cost', 'word-count']);
const NO_VALUE_TYPES = new Set(['is-json', 'is-refusal', 'is-xml', 'is-sql', 'contains-sql']);

export const VALUE_HINTS: Partial<Record<AssertionType, string>> = {
  'contains-any': 'comma-separated words',
  'contains-all': 'comma-separated words',
  'icontains-any': 'comma-separated words',
  'icontains-all': 'comma-separated words',
  regex: 'pattern, e.g. ^\\d+$',
  javascript: "expression over output, e.g. output.length < 200",
  latency: 'milliseconds',
  cost: 'USD',
  'json-schema': 'JSON Schema',
  'is-valid-json-schema': 'JSON Schema',
  'contains-json': 'optional JSON Schema',
  'llm-rubric': 'what a good answer does',
  similar: 'reference text',
  levenshtein: 'reference text (threshold: most edits, default 5)',
  'rouge-n': 'reference text',
  bleu: 'reference text',
  'word-count': 'exact number of words',
  'finish-reason': 'stop, length or content_filter',
  'g-eval': 'criteria for the grader',
  'context-recall': 'the reference answer (passages in vars.context)',
};

export interface DraftAssertion {
  key: number;
  type: AssertionType;
  negated: boolean;
  value: string;
  weight: string;
  rest: Omit<AssertionSpec, 'type' | 'value' | 'weight'>;
}

export interface DraftCase {
  key: number;
  id: string;
  description: string;
  vars: string;
  expected: string;
  assert: DraftAssertion[];
  rest: Omit<EvalCaseSpec, 'id' | 'description' | 'vars' | 'expected' | 'assert'>;
}

export interface SuiteDraft {
  name: string;
  description: string;
  template: string;
  system: string;
  cases: DraftCase[];
  rest: Omit<SuiteSpec, 'name' | 'description' | 'cases'>;
}

let nextKey = 1;
export const newKey = (): number => nextKey++;

export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function parseValue(type: AssertionType, text: string): unknown {
  const t = text.trim();
  if (t === '' || NO_VALUE_TYPES.has(type)) return undefined;
  if (LIST_TYPES.has(type)) return t.split(',').map((s) => s.trim()).filter(Boolean);
  if (NUMBER_TYPES.has(type) && Number.isFinite(Number(t))) return Number(t);
  if ((type.includes('json') || type === 'similar') && (t.startsWith('{') || t.startsWith('['))) {
    try {
      return JSON.parse(t);
    } catch {
      return text;
    }
  }
  return text;
}

export function varsText(vars: Record<string, unknown>): string {
  return Object.entries(vars)
    .map(([k, v]) => `${k}=${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

export function parseVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    vars[line.slice(0, i).trim()] = line.slice(i + 1);
  }
  return vars;
}

export function newAssertion(type: AssertionType = 'contains'): DraftAssertion {
  return { key: newKey(), type, negated: false, value: '', weight: '', rest: {} };
}

export function newCase(existing: DraftCase[]): DraftCase {
  let n = existing.length + 1;
  while (existing.some((c) => c.id === `case-${n}`)) n += 1;
  return { key: newKey(), id: `case-${n}`, description: '', vars: '', expected: '', assert: [newAssertion()], rest: {} };
}

export function emptyDraft(): SuiteDraft {
  const draft: SuiteDraft = {
    name: 'New suite',
    description: '',
    template: '{{question}}',
    system: '',
    cases: [],
    rest: { prompts: [], providers: [], defaultParams: {} },
  };
  draft.cases.push({ ...newCase([]), vars: 'question=' });
  return draft;
}

export function toDraft(spec: SuiteSpec): SuiteDraft {
  const { name, description, cases, ...rest } = spec;
  const first = spec.prompts[0];
  return {
    name,
    description: description ?? '',
    template: first?.template ?? '{{prompt}}',
    system: first?.system ?? '',
    rest,
    cases: cases.map((c) => {
      const { id, description: cd, vars, expected, assert, ...caseRest } = c;
      return {
        key: newKey(),
        id,
        description: cd ?? '',
        vars: varsText(vars),
        expected: expected ?? '',
        rest: caseRest,
        assert: assert.map((a) => {
          const { type, value, weight, ...aRest } = a;
          const negated = type.startsWith('not-');
          const base = (negated ? type.slice(4) : type) as AssertionType;
          return { key: newKey(), type: base, negated, value: valueText(value), weight: weight === undefined ? '' : String(weight), rest: aRest };
        }),
      };
    }),
  };
}

export function toSpec(draft: SuiteDraft): SuiteSpec {
  const [, ...otherPrompts] = draft.rest.prompts;
  const prompt = { ...(draft.rest.prompts[0] ?? {}), template: draft.template, ...(draft.system.trim() ? { system: draft.system } : { system: undefined }) };
  if (prompt.system === undefined) delete prompt.system;
  return {
    ...draft.rest,
    name: draft.name,
    ...(draft.description.trim() ? { description: draft.description } : {}),
    prompts: [prompt, ...otherPrompts],
    cases: draft.cases.map((c) => ({
      ...c.rest,
      id: c.id.trim(),
      ...(c.description.trim() ? { description: c.description } : {}),
      vars: parseVars(c.vars),
      ...(c.expected !== '' ? { expected: c.expected } : {}),
      assert: c.assert.map((a) => {
        const value = parseValue(a.type, a.value);
        const weight = a.weight.trim() === '' ? undefined : Number(a.weight);
        return {
          ...a.rest,
          type: a.negated ? `not-${a.type}` : a.type,
          ...(value !== undefined ? { value } : {}),
          ...(weight !== undefined && Number.isFinite(weight) ? { weight } : {}),
        };
      }),
    })),
  };
}
