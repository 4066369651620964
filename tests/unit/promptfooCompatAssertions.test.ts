import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAssertions, type EvaluateOptions } from '../../src/main/core/evals/assertions/evaluateAssertions';
import { bleu, levenshtein, rougeN } from '../../src/main/core/evals/assertions/textMetrics';
import { moduleCallCode } from '../../src/main/core/evals/promptfoo/moduleCode';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import type { AssertionSpec } from '../../src/shared/domain/evals';
import { emptyMetrics, type StopReason } from '../../src/shared/domain/generation';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

function opts(output: string, extra: Partial<EvaluateOptions> = {}): EvaluateOptions {
  return {
    output,
    vars: { language: 'French', expected: 'bonjour' },
    prompt: 'p',
    metrics: { ...emptyMetrics('local', 'm'), totalMs: 10, stopReason: 'eos' },
    grade: null,
    embed: null,
    sandbox,
    jsTimeoutMs: 1000,
    defaultGrader: null,
    ...extra,
  };
}

async function one(spec: AssertionSpec, output: string, extra: Partial<EvaluateOptions> = {}) {
  return (await evaluateAssertions([spec], undefined, opts(output, extra))).assertions[0]!;
}

const WEATHER_TOOL = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('promptfoo assertions Parity did not have', () => {
  it('text metrics follow promptfoo: levenshtein distance, ROUGE-1 recall, BLEU-4', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(rougeN('the cat sat', 'the cat sat on the mat')).toBeCloseTo(0.5);
    expect(bleu('the cat sat on the mat', ['the cat sat on the mat'])).toBeCloseTo(1);
    expect(bleu('completely unrelated words here', ['the cat sat on the mat'])).toBeLessThan(0.001);
  });

  it.each<[AssertionSpec, string, boolean]>([
    [{ type: 'levenshtein', value: 'kitten' }, 'sitting', true],
    [{ type: 'levenshtein', value: 'kitten', threshold: 2 }, 'sitting', false],
    [{ type: 'rouge-n', value: 'the cat sat on the mat' }, 'the cat sat', false],
    [{ type: 'rouge-n', value: 'the cat sat on the mat', threshold: 0.5 }, 'The cat sat.', true],
    [{ type: 'bleu', value: ['the cat sat on the mat', 'a cat was on the mat'] }, 'the cat sat on the mat', true],
    [{ type: 'word-count', value: 3 }, 'one two three', true],
    [{ type: 'word-count', value: { min: 1, max: 2 } }, 'one two three', false],
    [{ type: 'is-xml' }, '<a><b x="1">hi</b><c/></a>', true],
    [{ type: 'is-xml' }, '<a><b></a></b>', false],
    [{ type: 'is-xml', value: { requiredElements: ['analysis.sentiment'] } }, '<analysis><sentiment>positive</sentiment></analysis>', true],
    [{ type: 'is-xml', value: 'analysis.score' }, '<analysis><sentiment>positive</sentiment></analysis>', false],
    [{ type: 'contains-xml' }, 'Here you go: <r><v>1</v></r> done', true],
    [{ type: 'is-sql' }, 'SELECT id, name FROM users WHERE id = 1', true],
    [{ type: 'is-sql' }, 'SELEC id FROM', false],
    [{ type: 'is-sql', value: { allowedTables: ['select::null::users'] } }, 'SELECT * FROM orders', false],
    [{ type: 'contains-sql' }, 'Try this:\n```sql\nSELECT 1\n```', true],
    [{ type: 'finish-reason', value: 'stop' }, 'x', true],
    [{ type: 'finish-reason', value: 'length' }, 'x', false],
    [{ type: 'is-valid-openai-tools-call', value: WEATHER_TOOL }, '[{"type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]', true],
    [{ type: 'is-valid-openai-tools-call', value: WEATHER_TOOL }, '[{"type":"function","function":{"name":"get_weather","arguments":"{}"}}]', false],
    [{ type: 'is-valid-openai-tools-call', value: WEATHER_TOOL }, '{"name":"get_time","arguments":{}}', false],
    [{ type: 'is-valid-openai-function-call', value: WEATHER_TOOL.map((t) => t.function) }, '{"name":"get_weather","arguments":{"city":"Oslo"}}', true],
    [{ type: 'not-is-xml' }, 'plain text', true],
  ])('%j on %j → %s', async (spec, output, pass) => {
    const r = await one(spec, output);
    expect(r.skipped).toBeUndefined();
    expect({ reason: r.reason, pass: r.pass }).toMatchObject({ pass });
  });

  it('tool-call assertions check the calls the model made (metrics.toolCalls) when its text is empty', async () => {
    const metrics = { ...emptyMetrics('openai', 'm'), toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' }, rawArguments: '{"city":"Oslo"}' }] };
    expect(await one({ type: 'is-valid-openai-tools-call', value: WEATHER_TOOL }, '', { metrics })).toMatchObject({ pass: true });
    const wrong = { ...metrics, toolCalls: [{ id: 'c1', name: 'get_weather', arguments: {}, rawArguments: '{}' }] };
    expect(await one({ type: 'is-valid-openai-tools-call', value: WEATHER_TOOL }, '', { metrics: wrong })).toMatchObject({ pass: false });
  });

  it('finish-reason maps Parity stop reasons to promptfoo names', async () => {
    const metrics = (stopReason: StopReason) => ({ ...emptyMetrics('local', 'm'), stopReason });
    expect((await one({ type: 'finish-reason', value: 'length' }, 'x', { metrics: metrics('max-tokens') })).pass).toBe(true);
    expect((await one({ type: 'finish-reason', value: 'content_filter' }, 'x', { metrics: metrics('content-filter') })).pass).toBe(true);
  });

  it('renders assertion values and metric names with the case vars, as promptfoo does', async () => {
    const r = await one({ type: 'icontains', value: '{{ expected }}', metric: 'greeting-{{ language }}' }, 'Bonjour !');
    expect(r).toMatchObject({ pass: true, metric: 'greeting-French' });
  });
});

describe('skipped assertions', () => {
  it.each<[AssertionSpec, RegExp]>([
    // Pending in the cell; the runner compares the case's outputs once they are all in.
    [{ type: 'select-best', value: 'best' }, /waiting for the other outputs of this case/],
    [{ type: 'max-score' }, /waiting for the other outputs of this case/],
    [{ type: 'not-select-best', value: 'best' }, /a comparison cannot be negated/],
    [{ type: 'python', value: 'file://check.py' }, /python assertions run code on this machine and are not supported/],
    [{ type: 'moderation' }, /needs a moderation provider/],
    [{ type: 'llm-rubric', value: 'is polite' }, /needs a grader model/],
    [{ type: 'g-eval', value: 'coherent' }, /needs a grader model/],
    [{ type: 'similar', value: 'a cat' }, /needs an embedding model/],
    [{ type: 'is-valid-openai-tools-call' }, /needs the tool definitions/],
    [{ type: 'containz', value: 'x' }, /unknown assertion type "containz"/],
  ])('%j is skipped with a reason', async (spec, reason) => {
    const r = await one(spec, 'output');
    expect(r.skipped).toMatch(reason);
    expect(r.reason).toMatch(reason);
  });

  it('a skipped assertion counts neither for nor against the case', async () => {
    const v = await evaluateAssertions(
      [
        { type: 'select-best', value: 'best' },
        { type: 'contains', value: 'ok' },
        { type: 'llm-rubric', value: 'polite', weight: 3 },
      ],
      undefined,
      opts('ok then'),
    );
    expect(v).toMatchObject({ pass: true, score: 1 });
    expect(v.assertions.map((a) => a.skipped !== undefined)).toEqual([true, false, true]);
    const failing = await evaluateAssertions([{ type: 'moderation' }, { type: 'contains', value: 'nope' }], 0.5, opts('ok'));
    expect(failing).toMatchObject({ pass: false, score: 0 });
  });
});

describe('assert-set and transforms', () => {
  it('assert-set scores its members as one weighted assertion with its own threshold', async () => {
    const set: AssertionSpec = {
      type: 'assert-set',
      threshold: 0.5,
      value: [
        { type: 'contains', value: 'Paris' },
        { type: 'contains', value: 'London' },
      ],
    };
    const half = await one(set, 'Paris only');
    expect(half).toMatchObject({ pass: true, score: 0.5 });
    const none = await one({ ...set, threshold: undefined }, 'Paris only');
    expect(none.pass).toBe(false);
  });

  it('a case transform from a file runs in the sandbox before every assertion', async () => {
    const transform = moduleCallCode("module.exports = (output, context) => output.toUpperCase() + ' ' + context.vars.language;", null);
    const v = await evaluateAssertions([{ type: 'equals', value: 'BONJOUR French' }], undefined, opts('bonjour', { transform }));
    expect(v.pass).toBe(true);
  });

  it('an ES module export by name is found, and an assertion transform applies to that assertion only', async () => {
    const fn = moduleCallCode('export function firstWord(output) { return output.split(" ")[0]; }', 'firstWord');
    const v = await evaluateAssertions(
      [
        { type: 'equals', value: 'hello', transform: fn },
        { type: 'equals', value: 'hello world' },
      ],
      undefined,
      opts('hello world'),
    );
    expect(v.assertions.map((a) => a.pass)).toEqual([true, true]);
  });

  it('after a transform that parses JSON, assertions see the data (promptfoo json-output example shape)', async () => {
    const answer = '{"color": "purple", "countries": ["Brazil", "Paraguay"]}';
    const v = await evaluateAssertions(
      [
        { type: 'is-json', value: { type: 'object', required: ['color', 'countries'] } },
        { type: 'javascript', value: "output.color === 'purple' && output.countries.includes('Brazil')" },
        { type: 'contains-any', transform: 'output.countries', value: ['Guatemala', 'Brazil'] },
        { type: 'equals', transform: 'output.countries.length', value: '2' },
      ],
      undefined,
      opts(answer, { transform: 'JSON.parse(output)' }),
    );
    expect(v.assertions.map((a) => [a.type, a.pass])).toEqual([
      ['is-json', true],
      ['javascript', true],
      ['contains-any', true],
      ['equals', true],
    ]);
  });

  it('a javascript file assertion gets output and context and may return {pass, score, reason}', async () => {
    const code = moduleCallCode('module.exports = (output, context) => ({ pass: output.includes(context.vars.expected), score: 0.9, reason: "checked" });', null);
    expect(await one({ type: 'javascript', value: code }, 'bonjour')).toMatchObject({ pass: true, score: 0.9, reason: 'checked' });
  });

  it('a file that needs modules fails in the sandbox with the reason, never loading them in Node', async () => {
    const code = moduleCallCode("const fs = require('fs'); module.exports = () => fs.readFileSync('/etc/hostname', 'utf8');", null);
    const r = await one({ type: 'javascript', value: code }, 'x');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/require/);
  });
});

describe("promptfoo's echo provider", () => {
  it('answers with the prompt: a single user message as its text, a chat as its JSON', async () => {
    const { EchoProvider, echoText } = await import('../../src/main/core/providers/echo/EchoProvider');
    expect(echoText([{ role: 'user', content: 'Hi Ada' }])).toBe('Hi Ada');
    const chat = [
      { role: 'system' as const, content: 'Be brief' },
      { role: 'user' as const, content: 'Hi' },
    ];
    expect(JSON.parse(echoText(chat))).toEqual(chat);
    const events = [];
    for await (const e of new EchoProvider().stream({ model: 'echo', messages: [{ role: 'user', content: 'ping' }], params: {} })) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'done', text: 'ping', metrics: { stopReason: 'eos', host: null } });
  });
});

describe('comparisons where the runner does not compare', () => {
  it('a select-best inside an assert-set says so instead of waiting forever', async () => {
    const v = await evaluateAssertions([{ type: 'assert-set', value: [{ type: 'select-best', value: 'best' }, { type: 'contains', value: 'ok' }] }], undefined, opts('ok'));
    expect(v.assertions[0]!.reason).toMatch(/select-best: skipped \(select-best inside an assert-set is not compared/);
    expect(v.pass).toBe(true);
  });
});
