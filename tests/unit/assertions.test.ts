import { afterAll, describe, expect, it } from 'vitest';
import { ASSERTION_HANDLERS, cosineSimilarity } from '../../src/main/core/evals/assertions/assertionHandlers';
import { evaluateAssertions, type EvaluateOptions } from '../../src/main/core/evals/assertions/evaluateAssertions';
import { parseRubricReply } from '../../src/main/core/evals/assertions/rubric';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import type { AssertionSpec } from '../../src/shared/domain/evals';
import { AssertionTypeSchema } from '../../src/shared/domain/evals';
import { emptyMetrics, type GenerationMetrics } from '../../src/shared/domain/generation';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

function opts(output: string, extra: Partial<EvaluateOptions> = {}): EvaluateOptions {
  return {
    output,
    vars: { name: 'Ada' },
    prompt: 'Say hi to {{name}}',
    metrics: { ...emptyMetrics('local', 'm'), totalMs: 120 },
    grade: null,
    embed: null,
    sandbox,
    jsTimeoutMs: 1000,
    defaultGrader: null,
    ...extra,
  };
}

async function one(spec: AssertionSpec, output: string, extra: Partial<EvaluateOptions> = {}) {
  const verdict = await evaluateAssertions([spec], undefined, opts(output, extra));
  return verdict.assertions[0]!;
}

describe('assertion handlers', () => {
  it('has a handler for every type in the enum', () => {
    for (const t of AssertionTypeSchema.options) expect(typeof ASSERTION_HANDLERS[t]).toBe('function');
  });

  it.each([
    [{ type: 'equals', value: 'Hello Ada' }, '  Hello Ada\n', true],
    [{ type: 'equals', value: 'Hello Ada' }, 'Hello Bob', false],
    [{ type: 'contains', value: 'Ada' }, 'Hi Ada!', true],
    [{ type: 'contains', value: 'ada' }, 'Hi Ada!', false],
    [{ type: 'icontains', value: 'ada' }, 'Hi Ada!', true],
    [{ type: 'contains-any', value: ['cat', 'dog'] }, 'a dog', true],
    [{ type: 'contains-any', value: 'cat, dog' }, 'a bird', false],
    [{ type: 'contains-all', value: ['cat', 'dog'] }, 'cat and dog', true],
    [{ type: 'contains-all', value: ['cat', 'dog'] }, 'cat only', false],
    [{ type: 'icontains-any', value: ['CAT'] }, 'a cat', true],
    [{ type: 'icontains-all', value: ['CAT', 'DOG'] }, 'Cat, dog', true],
    [{ type: 'regex', value: '^\\d{3}-\\d{4}$' }, '555-1234', true],
    [{ type: 'regex', value: '^\\d+$' }, 'abc', false],
    [{ type: 'starts-with', value: 'Dear' }, 'Dear Ada', true],
    [{ type: 'starts-with', value: 'Dear' }, 'Hi Ada', false],
    [{ type: 'is-json' }, '{"a": 1}', true],
    [{ type: 'is-json' }, '```json\n{"a": 1}\n```', true],
    [{ type: 'is-json' }, 'here: {"a": 1}', false],
    [{ type: 'is-json', value: { type: 'object', required: ['b'] } }, '{"a": 1}', false],
    [{ type: 'contains-json' }, 'here: {"a": {"b": [1, 2]}} done', true],
    [{ type: 'contains-json' }, 'no json { here', false],
    [{ type: 'contains-json', value: { type: 'object', required: ['name'] } }, 'x {"a":1} y {"name":"z"}', true],
    [{ type: 'is-valid-json-schema', value: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }, '{"n": 3}', true],
    [{ type: 'json-schema', value: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } }, '{"n": "3"}', false],
    [{ type: 'is-refusal' }, "I'm sorry, but I can't help with that.", true],
    [{ type: 'is-refusal' }, 'Paris is the capital of France.', false],
    [{ type: 'not-is-refusal' }, 'Paris is the capital of France.', true],
    [{ type: 'latency', threshold: 500 }, 'x', true],
    [{ type: 'latency', threshold: 100 }, 'x', false],
    [{ type: 'cost', threshold: 0.01 }, 'x', true],
  ] as Array<[AssertionSpec, string, boolean]>)('%o on %j → %s', async (spec, output, expected) => {
    const r = await one(spec, output);
    expect(r.pass, r.reason).toBe(expected);
  });

  it('cost fails for a remote model whose price is unknown, passes under the limit when known', async () => {
    const remote: GenerationMetrics = { ...emptyMetrics('openai', 'gpt'), host: 'api.openai.com', costUsd: null };
    expect((await one({ type: 'cost', threshold: 1 }, 'x', { metrics: remote })).pass).toBe(false);
    expect((await one({ type: 'cost', threshold: 0.002 }, 'x', { metrics: { ...remote, costUsd: 0.001 } })).pass).toBe(true);
    expect((await one({ type: 'cost', threshold: 0.0005 }, 'x', { metrics: { ...remote, costUsd: 0.001 } })).pass).toBe(false);
  });

  it('negation flips pass and score', async () => {
    const r = await one({ type: 'not-contains', value: 'error' }, 'all good');
    expect(r).toMatchObject({ pass: true, score: 1 });
    const r2 = await one({ type: 'not-contains', value: 'error' }, 'an error');
    expect(r2).toMatchObject({ pass: false, score: 0, reason: expect.stringMatching(/^contains/) });
  });

  it('an unknown type fails with a reason instead of throwing', async () => {
    const r = await one({ type: 'containz', value: 'x' }, 'x');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/unknown assertion type/);
  });

  it('uses the case expected output when an assertion has no value', async () => {
    const v = await evaluateAssertions([{ type: 'equals' }], undefined, opts('Paris', { expected: 'Paris' }));
    expect(v.pass).toBe(true);
  });
});

describe('case scoring', () => {
  const specs: AssertionSpec[] = [
    { type: 'contains', value: 'a', weight: 3 },
    { type: 'contains', value: 'zzz', weight: 1 },
  ];

  it('without a threshold every weighted assertion must pass', async () => {
    const v = await evaluateAssertions(specs, undefined, opts('abc'));
    expect(v.score).toBeCloseTo(0.75);
    expect(v.pass).toBe(false);
  });

  it('with a threshold the weighted score decides', async () => {
    expect((await evaluateAssertions(specs, 0.7, opts('abc'))).pass).toBe(true);
    expect((await evaluateAssertions(specs, 0.8, opts('abc'))).pass).toBe(false);
  });

  it('weight 0 assertions are reported but do not decide', async () => {
    const v = await evaluateAssertions([{ type: 'contains', value: 'a' }, { type: 'contains', value: 'zzz', weight: 0 }], undefined, opts('abc'));
    expect(v.pass).toBe(true);
    expect(v.assertions[1]!.pass).toBe(false);
  });

  it('no assertions passes with score 1', async () => {
    expect(await evaluateAssertions([], undefined, opts('x'))).toMatchObject({ pass: true, score: 1 });
  });
});

describe('javascript sandbox', () => {
  it('evaluates an expression against output and vars', async () => {
    expect((await one({ type: 'javascript', value: "output.includes(context.vars.name) && output.length < 20" }, 'Hi Ada')).pass).toBe(true);
    expect((await one({ type: 'javascript', value: 'output.length > 100' }, 'Hi Ada')).pass).toBe(false);
  });

  it('accepts a function body returning {pass, score, reason} or a score', async () => {
    const r = await one({ type: 'javascript', value: 'const n = output.split(" ").length;\nreturn { pass: n === 2, score: 0.9, reason: "two words" };' }, 'Hi Ada');
    expect(r).toMatchObject({ pass: true, score: 0.9, reason: 'two words' });
    const s = await one({ type: 'javascript', value: '0.4', threshold: 0.5 }, 'x');
    expect(s).toMatchObject({ pass: false, score: 0.4 });
  });

  it('has no require or process', async () => {
    const r = await one({ type: 'javascript', value: "typeof require === 'undefined' && typeof process === 'undefined'" }, 'x');
    expect(r.pass, r.reason).toBe(true);
    const escape = await one({ type: 'javascript', value: "this.constructor.constructor('return process')().exit(1)" }, 'x');
    expect(escape.pass).toBe(false);
  });

  it('a catastrophically backtracking regex fails at the time limit instead of freezing the app', async () => {
    const r = await one({ type: 'regex', value: '^(a+)+$' }, `${'a'.repeat(40)}!`, { jsTimeoutMs: 200 });
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/timed out/i);
    // The event loop stayed free meanwhile: a timer set now fires long before the 2^40 steps would end.
    const tick = await Promise.race([new Promise((resolve) => setTimeout(() => resolve('tick'), 0)), one({ type: 'regex', value: '^(a+)+$' }, `${'a'.repeat(40)}!`, { jsTimeoutMs: 200 }).then(() => 'regex')]);
    expect(tick).toBe('tick');
    const invalid = await one({ type: 'regex', value: '(' }, 'x');
    expect(invalid.reason).toMatch(/invalid regular expression/);
  });

  it('stops an infinite loop at the time limit', async () => {
    const started = Date.now();
    const r = await one({ type: 'javascript', value: 'while (true) {}\nreturn true;' }, 'x', { jsTimeoutMs: 200 });
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/timed out/i);
    const expr = await one({ type: 'javascript', value: '(() => { for (;;) {} })()' }, 'x', { jsTimeoutMs: 200 });
    expect(expr.reason).toMatch(/timed out/i);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('contains a memory bomb to the isolate', async () => {
    // QuickJS does not poll its interrupt inside a long native call such as fill(), so this one can
    // end at the sandbox's backstop ("timed out") rather than at the memory limit: either is a clear failure.
    const r = await one({ type: 'javascript', value: 'const a = []; while (true) a.push(new Array(1e6).fill(1)); return true;' }, 'x', { jsTimeoutMs: 1000 });
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/out of memory|timed out/i);
    const buffers = await one({ type: 'javascript', value: 'const a = []; for (;;) a.push(new ArrayBuffer(1e7));' }, 'x', { jsTimeoutMs: 1000 });
    expect(buffers.reason).toMatch(/out of memory|timed out/i);
    // The app is still here and the sandbox still works afterwards.
    expect((await one({ type: 'javascript', value: 'true' }, 'x')).pass).toBe(true);
  });
});

describe('llm-rubric and similar', () => {
  it('grades through the injected grader and parses its JSON verdict', async () => {
    const calls: string[] = [];
    const grade = async (ref: string): Promise<string> => {
      calls.push(ref);
      return 'Sure! {"pass": true, "score": 0.8, "reason": "polite"}';
    };
    const r = await one({ type: 'llm-rubric', value: 'is polite' }, 'Thank you', { grade, defaultGrader: 'local:judge' });
    expect(r).toMatchObject({ pass: true, score: 0.8, reason: 'polite' });
    expect(calls).toEqual(['local:judge']);
    const named = await one({ type: 'llm-rubric', value: 'is polite', provider: 'openai:gpt', threshold: 0.9 }, 'x', { grade, defaultGrader: 'local:judge' });
    expect(named.pass).toBe(false);
    expect(calls.at(-1)).toBe('openai:gpt');
  });

  it('fails clearly without a grader', async () => {
    const r = await one({ type: 'llm-rubric', value: 'x' }, 'y');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/no grader/);
  });

  it('parses messy grader replies', () => {
    expect(parseRubricReply("{'pass': True, 'score': 1}")).toMatchObject({ pass: true, score: 1 });
    expect(parseRubricReply('{"score": 7}')).toMatchObject({ pass: true, score: 0.7 });
    expect(parseRubricReply('Verdict: FAIL because rude')).toMatchObject({ pass: false, score: 0 });
    expect(parseRubricReply('no idea')).toBeNull();
  });

  it('similar uses the injected embedder and cosine similarity', async () => {
    const embed = async (texts: string[]): Promise<number[][]> => texts.map((t) => (t.includes('cat') ? [1, 0.1] : [0, 1]));
    expect((await one({ type: 'similar', value: 'a cat', threshold: 0.9 }, 'the cat sat', { embed })).pass).toBe(true);
    expect((await one({ type: 'similar', value: 'a cat', threshold: 0.9 }, 'a dog', { embed })).pass).toBe(false);
    expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBeCloseTo(0);
  });
});
