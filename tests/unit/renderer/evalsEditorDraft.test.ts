import { describe, expect, it } from 'vitest';
import { SuiteSpecSchema } from '../../../src/shared/contract';
import { emptyDraft, toDraft, toSpec } from '../../../src/renderer/evals/suiteDraft';

const spec = SuiteSpecSchema.parse({
  name: 'Imported',
  description: 'from promptfoo',
  prompts: [{ template: 'Q: {{q}}', system: 'Be brief.' }, { label: 'second', template: 'Question: {{q}}' }],
  providers: [{ id: 'openai:gpt-4o-mini', params: { temperature: 0 } }],
  defaultParams: { maxTokens: 64 },
  defaultTest: { assert: [{ type: 'not-is-refusal' }] },
  cases: [
    {
      id: 'c1',
      description: 'sum',
      vars: { q: '2+2', n: 4 },
      expected: '4',
      threshold: 0.5,
      assert: [
        { type: 'contains', value: '4', weight: 2 },
        { type: 'not-icontains-any', value: ['five', 'three'] },
        { type: 'latency', value: 1500 },
        { type: 'json-schema', value: { type: 'object', required: ['a'] } },
        { type: 'llm-rubric', value: 'is polite', provider: 'local:grader', metric: 'tone' },
      ],
    },
  ],
});

describe('the Evals editor draft', () => {
  it('round-trips a suite without losing what the editor does not show', () => {
    const back = SuiteSpecSchema.parse(toSpec(toDraft(spec)));
    // Variables are edited as text, so numbers come back as strings; everything else is identical.
    expect(back).toEqual({ ...spec, cases: [{ ...spec.cases[0]!, vars: { q: '2+2', n: '4' } }] });
  });

  it('applies edits: template, system prompt, a negated assertion with a list value and a weight', () => {
    const draft = toDraft(spec);
    draft.template = 'New: {{q}}';
    draft.system = '';
    draft.cases[0]!.assert[0] = { ...draft.cases[0]!.assert[0]!, type: 'contains-all', negated: true, value: 'a, b ,c', weight: '0.5' };
    const out = toSpec(draft);
    expect(out.prompts[0]).toEqual({ template: 'New: {{q}}' });
    expect(out.prompts[1]).toEqual(spec.prompts[1]);
    expect(out.cases[0]!.assert[0]).toEqual({ type: 'not-contains-all', value: ['a', 'b', 'c'], weight: 0.5 });
  });

  it('starts a new suite that validates as is', () => {
    expect(SuiteSpecSchema.safeParse(toSpec(emptyDraft())).success).toBe(true);
  });
});
