import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExpected } from '../../src/main/core/evals/formats/csvSuite';
import { parseSuite, serializeSuite } from '../../src/main/core/evals/formats/suiteFormats';
import { planCases } from '../../src/main/core/evals/SuitePlan';
import { thrownAppError } from '../helpers/errors';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'suites', name), 'utf8');

describe('promptfoo YAML import', () => {
  const spec = parseSuite('yaml', fixture('promptfoo-translate.yaml'));

  it('reads description, prompts (strings and objects), providers with config, defaultTest and tests', () => {
    expect(spec.name).toBe('Translation and JSON formatting checks');
    expect(spec.prompts).toHaveLength(2);
    expect(spec.prompts[1]).toMatchObject({ label: 'strict-translator' });
    expect(spec.providers.map((p) => p.id)).toEqual(['openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-20241022', 'local:/models/stories260K.gguf']);
    expect(spec.providers[1]).toMatchObject({ label: 'haiku', params: { temperature: 0, maxTokens: 256 } });
    expect(spec.providers[2]!.params).toEqual({ temperature: 0, seed: 42, topP: 0.9, threads: 2, gpuLayers: 0, contextSize: 1024 });
    expect(spec.defaultTest?.assert.map((a) => a.type)).toEqual(['not-is-refusal', 'latency']);
    expect(spec.defaultTest?.options?.provider).toBe('openai:gpt-4o-mini');
    expect(spec.cases).toHaveLength(3);
    expect(spec.cases[0]).toMatchObject({ id: 'test-1', description: 'French greeting', vars: { language: 'French', input: 'Hello world' } });
    expect(spec.cases[0]!.assert[1]).toMatchObject({ type: 'contains-any', value: ['monde', 'Monde'], weight: 2 });
    expect(spec.cases[1]).toMatchObject({ threshold: 0.5 });
    expect(spec.cases[1]!.assert[1]).toMatchObject({ type: 'llm-rubric', provider: 'anthropic:claude-3-5-haiku-20241022' });
  });

  it('expands cases × prompts with rendered vars and defaultTest assertions first', () => {
    const planned = planCases(spec);
    expect(planned.map((p) => p.caseId)).toEqual(['test-1#1', 'test-1#2', 'test-2#1', 'test-2#2', 'test-3#1', 'test-3#2']);
    expect(planned[0]!.messages).toEqual([{ role: 'user', content: 'Translate the following text to French: Hello world' }]);
    expect(planned[0]!.assertions.map((a) => a.type)).toEqual(['not-is-refusal', 'latency', 'icontains', 'contains-any']);
    expect(planned[0]!.grader).toBe('openai:gpt-4o-mini');
  });

  it('round-trips through export', () => {
    const again = parseSuite('yaml', serializeSuite('yaml', spec));
    expect(again.cases).toEqual(spec.cases);
    expect(again.prompts).toEqual(spec.prompts);
    expect(again.providers).toEqual(spec.providers);
    expect(again.defaultTest).toEqual(spec.defaultTest);
  });

  it('keeps an unknown assertion type and warns with its line and field (one type never refuses a file)', () => {
    const s = parseSuite('yaml', fixture('bad-assert-type.yaml'));
    expect(s.cases[1]!.assert[0]!.type).toBe('containz');
    expect(s.imported?.warnings).toEqual(['line 13, field "tests[1].assert[0].type": unknown assertion type "containz": skipped in every cell (did you mean contains?)']);
  });

  it('names the line of a YAML syntax error', () => {
    const e = thrownAppError(() => parseSuite('yaml', fixture('bad-syntax.yaml')));
    expect(e.code).toBe('SUITE_INVALID');
    expect(e.details?.line).toBeGreaterThanOrEqual(7);
  });

  it('names the line of a wrong type deep in a provider config', () => {
    const yaml = 'prompts: ["{{q}}"]\nproviders:\n  - id: openai:gpt-4o\n    config:\n      temperature: hot\ntests:\n  - vars: {q: x}\n';
    const e = thrownAppError(() => parseSuite('yaml', yaml));
    expect(e.details).toMatchObject({ line: 5, field: 'providers[0].config.temperature' });
  });

  it('rejects a config without tests, at the root', () => {
    const e = thrownAppError(() => parseSuite('yaml', 'prompts: ["hi"]\n'));
    expect(e.message).toMatch(/tests/);
  });

  it('refuses a "billion laughs" file as an invalid suite naming the alias limit, not an internal error', () => {
    const levels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const lines = ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < levels.length; i++) lines.push(`l${i}: &${levels[i]} [${Array(9).fill(`*${levels[i - 1]}`).join(', ')}]`);
    lines.push('prompts: ["{{q}}"]', 'tests:', `  - vars: {q: *${levels.at(-1)}}`);
    const e = thrownAppError(() => parseSuite('yaml', lines.join('\n')));
    expect(e.code).toBe('SUITE_INVALID');
    expect(e.message).toMatch(/alias limit 100/);
  });

  it('still reads a file that reuses an anchor a few times', () => {
    const yaml = 'defaults: &d [{type: contains, value: x}]\nprompts: ["{{q}}"]\ntests:\n  - vars: {q: a}\n    assert: *d\n  - vars: {q: b}\n    assert: *d\n';
    expect(parseSuite('yaml', yaml).cases.map((c) => c.assert)).toEqual([[{ type: 'contains', value: 'x' }], [{ type: 'contains', value: 'x' }]]);
  });
});

describe('CSV import', () => {
  it('reads promptfoo CSV columns', () => {
    const spec = parseSuite('csv', fixture('cases.csv'));
    expect(spec.prompts).toEqual([{ template: '{{question}}' }]);
    expect(spec.cases).toHaveLength(3);
    expect(spec.cases[0]).toMatchObject({ description: 'arithmetic', vars: { question: 'What is 2+2?' } });
    expect(spec.cases[0]!.assert).toEqual([{ type: 'contains', value: '4' }, { type: 'not-is-refusal' }]);
    expect(spec.cases[1]!.assert).toEqual([{ type: 'icontains-any', value: ['red', 'blue', 'green'] }]);
    expect(spec.cases[2]!.assert).toEqual([{ type: 'is-json' }]);
  });

  it('parses __expected forms', () => {
    expect(parseExpected('equals:bar')).toEqual({ type: 'equals', value: 'bar' });
    expect(parseExpected('similar(0.8):a cat')).toEqual({ type: 'similar', value: 'a cat', threshold: 0.8 });
    expect(parseExpected('grade:is polite')).toEqual({ type: 'llm-rubric', value: 'is polite' });
    expect(parseExpected('fn:output.length > 2')).toEqual({ type: 'javascript', value: 'output.length > 2' });
    expect(parseExpected('Paris')).toEqual({ type: 'equals', value: 'Paris' });
  });

  it('names the line and field of a row with the wrong number of fields', () => {
    const e = thrownAppError(() => parseSuite('csv', fixture('bad-fields.csv')));
    expect(e.code).toBe('SUITE_INVALID');
    expect(e.details).toMatchObject({ line: 3 });
    expect(e.message).toMatch(/line 3/);
    expect(e.message).toMatch(/field/);
  });

  it('names the line and column of a bad threshold, counting multi-line quoted fields', () => {
    const csv = 'q,__threshold\n"two\nlines",0.5\nok,lots\n';
    const e = thrownAppError(() => parseSuite('csv', csv));
    expect(e.details).toMatchObject({ line: 4, field: '__threshold' });
  });

  it("names a row's assertions with __metric and lists promptfoo's other special columns as ignored", () => {
    const spec = parseSuite('csv', 'q,__expected,__metric,__prefix\nhi,contains:h,greeting,Say: \n');
    expect(spec.cases[0]!.assert).toEqual([{ type: 'contains', value: 'h', metric: 'greeting' }]);
    expect(spec.imported?.warnings).toEqual(['line 1: ignored columns __prefix (Parity reads __expected, __description, __threshold, __metric, __id)']);
  });

  it('lists every bad row at once', () => {
    const e = thrownAppError(() => parseSuite('csv', 'q,__threshold\na,2\nb\nc,0.5\nd,x\n'));
    expect(e.message).toMatch(/3 problems/);
    expect((e.details?.problems as Array<{ line: number }>).map((p) => p.line)).toEqual([2, 3, 5]);
  });

  it('round-trips through export', () => {
    const spec = parseSuite('csv', fixture('cases.csv'));
    const again = parseSuite('csv', serializeSuite('csv', spec));
    expect(again.cases.map((c) => c.assert)).toEqual(spec.cases.map((c) => c.assert));
    expect(again.cases.map((c) => c.vars)).toEqual(spec.cases.map((c) => c.vars));
  });
});

describe('JSONL import', () => {
  it('reads the optional suite line and one case per line', () => {
    const spec = parseSuite('jsonl', fixture('cases.jsonl'));
    expect(spec.name).toBe('jsonl suite');
    expect(spec.cases.map((c) => c.id)).toEqual(['one', 'two']);
    const planned = planCases(spec);
    expect(planned[1]!.messages[0]!.content).toBe('Q: capital of France\nA:');
    // A bare expected output becomes an equals assertion.
    expect(planned[1]!.assertions).toEqual([{ type: 'equals', value: 'Paris' }]);
    expect(parseSuite('jsonl', serializeSuite('jsonl', spec))).toEqual(spec);
  });

  it('names the line and field of a bad value', () => {
    const e = thrownAppError(() => parseSuite('jsonl', fixture('bad-field.jsonl')));
    expect(e.details).toMatchObject({ line: 2, field: 'assert[0].weight' });
  });

  it('keeps an unknown assertion type and warns with its line', () => {
    const spec = parseSuite('jsonl', '{"id":"a"}\n{"id":"b","assert":[{"type":"contains","value":"x"},{"type":"icontain","value":"y"}]}\n');
    expect(spec.imported?.warnings).toEqual(['line 2, field "assert[1].type": unknown assertion type "icontain": skipped in every cell (did you mean icontains?)']);
  });

  it('lists every bad line at once', () => {
    const e = thrownAppError(() => parseSuite('jsonl', '{"id":"a"}\n{"id": }\n{"id":"c","threshold":9}\n'));
    expect((e.details?.problems as Array<{ line: number; field: string | null }>).map((p) => [p.line, p.field])).toEqual([
      [2, null],
      [3, 'threshold'],
    ]);
  });

  it('names the line of invalid JSON and of duplicate ids', () => {
    expect(thrownAppError(() => parseSuite('jsonl', '{"id":"a"}\n{"id": }\n')).details).toMatchObject({ line: 2 });
    expect(thrownAppError(() => parseSuite('jsonl', '{"id":"a"}\n{"id":"a"}\n')).message).toMatch(/duplicate case id/);
  });
});
