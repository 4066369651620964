import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPromptfooYaml } from '../../src/main/core/evals/formats/promptfooYaml';
import { formatFromFileName } from '../../src/main/core/evals/formats/suiteFormats';
import { MAX_FILE_BYTES } from '../../src/main/core/evals/promptfoo/fileRefs';
import { loadPromptfooConfig } from '../../src/main/core/evals/promptfoo/loadPromptfooConfig';
import { mapProviderId } from '../../src/main/core/evals/promptfoo/providerIds';
import { modelRefOf, paramsFor, planCases, providerKeys, runsOn } from '../../src/main/core/evals/SuitePlan';
import { chatMessages, prepareVars, renderPrompt } from '../../src/main/core/evals/templates/promptTemplate';
import { AppError } from '../../src/shared/errors';
import { thrownAppError } from '../helpers/errors';

/**
 * promptfoo configs written for these tests, with the case counts and rendered prompts that
 * promptfoo's documentation gives for the same features (Configuration → prompts from files with
 * `---` separators, tests from CSV, vars as lists and file globs, scenarios, Nunjucks templates).
 */
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'promptfoo');

function load(dir: string, file = 'promptfooconfig.yaml') {
  const base = join(FIXTURES, dir);
  return loadPromptfooConfig(readFileSync(join(base, file), 'utf8'), { baseDir: base });
}

describe('a promptfoo config with files, templates, a transform and two labelled providers', () => {
  const { spec, warnings } = load('translate');
  const planned = planCases(spec);

  it('has the cases promptfoo would run: 2 CSV rows + 2 languages × 2 files from the glob', () => {
    expect(spec.cases.map((c) => c.id)).toEqual(['test-1', 'test-2', 'test-3.1', 'test-3.2', 'test-3.3', 'test-3.4']);
    expect(spec.cases[2]!.vars).toEqual({ language: 'French', input: 'The cat sleeps.', glossary: [{ term: 'cat' }, { term: 'dog' }] });
    // A file var is inserted trimmed (promptfoo reads it with .trim()).
    expect(spec.cases[3]!.vars.input).toBe('The dog barks.');
    expect(spec.cases[4]!.vars.language).toBe('German');
  });

  it('keeps the same model twice under two labels, each with its own parameters', () => {
    expect(providerKeys(spec)).toEqual(['openai:gpt-4o-mini#precise', 'openai:gpt-4o-mini#creative']);
    expect(modelRefOf(spec, 'openai:gpt-4o-mini#creative')).toBe('openai:gpt-4o-mini');
    // response_format goes into the request's structured field (issue #11's responseFormat).
    expect(paramsFor(spec, 'openai:gpt-4o-mini#precise', {})).toMatchObject({ temperature: 0, maxTokens: 128, responseFormat: 'json' });
    expect(paramsFor(spec, 'openai:gpt-4o-mini#creative', {})).toMatchObject({ temperature: 0.9 });
  });

  it('reads the text prompt file as two prompts (--- separator) and the JSON file as a chat', () => {
    expect(spec.prompts.map((p) => p.label)).toEqual(['prompts/translate.txt #1', 'prompts/translate.txt #2', 'chat']);
    expect(spec.prompts.map((p) => p.source)).toEqual(['file://prompts/translate.txt', 'file://prompts/translate.txt', 'file://prompts/chat.json']);
    expect(planned).toHaveLength(6 * 3);
  });

  it('renders prompts with Nunjucks: conditionals, filters, env, loops over object lists', () => {
    const row = (id: string) => planned.find((p) => p.caseId === id)!.messages;
    expect(row('test-1#1')).toEqual([{ role: 'user', content: 'Translate into French: Hello world' }]);
    expect(row('test-1#2')).toEqual([{ role: 'user', content: 'Bonjour! Please translate "Hello world" to FRENCH in a friendly tone.' }]);
    expect(row('test-2#2')).toEqual([{ role: 'user', content: 'Please translate "Good morning" to SPANISH in a friendly tone.' }]);
    expect(row('test-3.4#3')).toEqual([
      { role: 'system', content: 'You translate into German. Keep cat. Keep dog.' },
      { role: 'user', content: 'The dog barks.' },
    ]);
  });

  it('keeps the CSV assertions, the defaultTest file assertion and the transform as sandbox code', () => {
    const first = planned[0]!;
    expect(first.assertions.map((a) => a.type)).toEqual(['javascript', 'icontains']);
    expect(first.assertions[0]!.value).toContain('output.length < 2000');
    expect(first.transform).toContain("output.trim().replace(/\\s+/g, ' ')");
    const glossary = spec.cases[2]!.assert;
    expect(glossary.map((a) => a.type)).toEqual(['select-best', 'assert-set']);
    expect((glossary[1]!.value as Array<{ type: string }>).map((a) => a.type)).toEqual(['icontains', 'word-count']);
  });

  it('lists what it does not honour, with lines, and records the files it read', () => {
    expect(warnings).toContain('ignored: outputPath, sharing');
    expect(warnings.join('\n')).not.toMatch(/response_format/);
    // select-best is evaluated (the runner compares a case's outputs), so it is no warning.
    expect(warnings.join('\n')).not.toMatch(/select-best/);
    // Custom filters run in the sandbox when a run renders its prompts: no warning.
    expect(warnings.join('\n')).not.toMatch(/custom filter/);
    expect(spec.imported?.references).toEqual(expect.arrayContaining(['file://prompts/translate.txt', 'file://tests.csv', 'file://docs/*.txt', 'file://transform.js']));
    expect(spec.imported?.warnings).toEqual(warnings);
  });
});

describe('tests, defaultTest and vars from files', () => {
  const { spec } = load('files');

  it('reads a glob of YAML test files, a JSONL file and inline tests, in order', () => {
    expect(spec.cases.map((c) => c.vars.topic)).toEqual(['apples', 'pears', 'plums', 'kiwis', 'figs', 'fruit']);
    expect(spec.cases.map((c) => c.id)).toEqual(['test-1', 'test-2', 'test-3', 'test-4', 'test-5', 'test-6']);
    expect(spec.cases[4]!.description).toBe('figs');
    expect(spec.imported?.references).toEqual(expect.arrayContaining(['file://tests/*.yaml', 'file://more.jsonl', 'file://default-test.yaml']));
  });

  it('takes defaultTest from a file and inserts a YAML var file as JSON text', () => {
    expect(spec.defaultTest?.vars).toEqual({ profile: 'none' });
    const planned = planCases(spec);
    expect(planned[0]!.assertions.map((a) => a.type)).toEqual(['contains']);
    expect(planned[2]!.assertions.map((a) => a.type)).toEqual(['contains', 'icontains']);
    expect(planned[0]!.messages).toEqual([
      { role: 'system', content: 'Profile: none' },
      { role: 'user', content: 'Tell me about apples' },
    ]);
    expect(planned[5]!.messages[0]).toEqual({ role: 'system', content: 'Profile: {"name":"Ada","likes":["tea"]}' });
  });
});

describe("shapes from promptfoo's own examples", () => {
  it('reads a bare prompt file name, filters under `filters`, and the load filter for JSON vars', () => {
    const { spec, warnings } = load('bare-paths');
    expect(spec.prompts.map((p) => p.source)).toEqual(['file://prompts.txt', 'file://prompts.txt']);
    const planned = planCases(spec);
    expect(planned[0]!.prompt).toBe('Tone formal, length short: rewrite "Good evening" in French');
    // Planned without the sandbox (an import's check), the custom filter passes its input through;
    // a run resolves it first (nunjucksFilters.test.ts).
    expect(planned[1]!.prompt).toBe('In French, conversationally: Good evening');
    expect(warnings).toEqual([]);
  });

  it("reads a provider config's functions from a YAML file; both labelled entries get the same tools", () => {
    const { spec, warnings } = load('function-call');
    expect(warnings).toEqual([]);
    expect(providerKeys(spec)).toEqual(['openai:gpt-4.1-mini#from-file', 'openai:gpt-4.1-mini#inline']);
    const tools = [{ name: 'weather_now', description: 'The weather in a city right now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
    expect(spec.providers.map((p) => p.params.tools)).toEqual([tools, tools]);
    expect(spec.cases[0]!.assert[0]!.value).toEqual([expect.objectContaining({ name: 'weather_now' })]);
  });

  it('reads a promptfoo config written as JSON', () => {
    expect(formatFromFileName('suite/promptfooconfig.json')).toBe('yaml');
    const { spec } = loadPromptfooConfig(JSON.stringify({ prompts: ['Hi {{name}}'], providers: ['echo'], tests: [{ vars: { name: 'Ada' } }] }));
    expect(planCases(spec)[0]!.prompt).toBe('Hi Ada');
  });

  it('keeps a prompt with a slash or a dot as text when it is not just a file name', () => {
    const { spec } = loadPromptfooConfig('prompts: ["Answer yes/no: {{q}}", "Say hi.txt"]\ntests: [{vars: {q: x}}]\n');
    expect(spec.prompts.map((p) => p.template)).toEqual(['Answer yes/no: {{q}}', 'Say hi.txt']);
  });
});

describe('errors and warnings', () => {
  it('reports every problem of a file at once, each with its line and field', () => {
    const e = thrownAppError(() => load('broken'));
    expect(e.code).toBe('SUITE_INVALID');
    const problems = e.details?.problems as Array<{ line: number; field: string; message: string }>;
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [3, 'prompts[0]'],
      [7, 'providers[0].config.temperature'],
      [11, 'tests[0].assert[0]'],
      [13, 'tests[1].threshold'],
    ]);
    expect(e.message).toMatch(/4 problems/);
    expect(e.message).toMatch(/missing-prompt\.txt: no such file/);
  });

  it('a template that does not render is a problem at its own prompt, each one listed', () => {
    const e = thrownAppError(() => loadPromptfooConfig('prompts:\n  - "ok {{ a }}"\n  - "{{ a "\n  - "{% for %}"\ntests: [{vars: {a: 1}}]\n'));
    expect((e.details?.problems as Array<{ line: number; field: string }>).map((p) => [p.line, p.field])).toEqual([
      [3, 'prompts[1]'],
      [4, 'prompts[2]'],
    ]);
  });

  it('a wrongly shaped env, options or filter list is a problem at its line, not silently dropped', () => {
    const e = thrownAppError(() => loadPromptfooConfig('prompts: [hi]\nenv: 5\ntests:\n  - options: 5\n    providers: [{a: 1}]\n'));
    expect((e.details?.problems as Array<{ field: string }>).map((p) => p.field)).toEqual(['tests[0].options', 'tests[0].providers', 'env']);
  });

  it('keeps an unknown assertion type (skipped in each cell) and says so at its line', () => {
    const { spec, warnings } = loadPromptfooConfig('prompts: ["{{q}}"]\ntests:\n  - vars: {q: x}\n    assert:\n      - type: containz\n        value: x\n');
    expect(spec.cases[0]!.assert[0]!.type).toBe('containz');
    expect(warnings).toEqual(['line 5, field "tests[0].assert[0].type": unknown assertion type "containz": skipped in every cell (did you mean contains?)']);
  });

  it('a pasted config cannot read files: the problem names the reference', () => {
    const e = thrownAppError(() => loadPromptfooConfig('prompts: [file://p.txt]\ntests: file://tests.csv\n'));
    expect(e.message).toMatch(/file:\/\/p\.txt: this import has no folder/);
    expect(e.message).toMatch(/file:\/\/tests\.csv: this import has no folder/);
  });

  it('a referenced file larger than the limit is a problem, not a stored copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-'));
    try {
      writeFileSync(join(dir, 'big.csv'), '');
      truncateSync(join(dir, 'big.csv'), MAX_FILE_BYTES + 1);
      const e = thrownAppError(() => loadPromptfooConfig('prompts: [hi]\ntests: file://big.csv\n', { baseDir: dir }));
      expect(e.message).toMatch(/big\.csv is 20 MB; a suite file may be at most 20 MB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reference may not leave the config folder (paths or symlinks)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pf-'));
    try {
      writeFileSync(join(dir, 'secret.txt'), 'secret');
      const inner = join(dir, 'suite');
      mkdirSync(inner);
      symlinkSync(join(dir, 'secret.txt'), join(inner, 'link.txt'));
      const e = thrownAppError(() => loadPromptfooConfig('prompts: [file://../secret.txt, file://link.txt, file:///etc/hostname]\ntests: [{vars: {}}]\n', { baseDir: inner }));
      const problems = e.details?.problems as Array<{ message: string }>;
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/must stay inside the config's folder/),
        expect.stringMatching(/links outside the config's folder/),
        expect.stringMatching(/must stay inside the config's folder/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('config semantics', () => {
  it('scenarios run every config entry with every test; vars may reference other vars', () => {
    const { spec } = load('scenarios');
    expect(spec.providers.map((p) => p.id)).toEqual(['echo:echo']);
    expect(spec.cases).toHaveLength(4);
    expect(spec.cases.map((c) => c.description)).toEqual(['languages: capital', 'languages: colour', 'languages: capital', 'languages: colour']);
    expect(spec.cases[2]!.assert.map((a) => a.type)).toEqual(['contains', 'icontains']);
    const planned = planCases(spec);
    expect(planned.map((p) => p.prompt)).toEqual([
      'Q: What is the capital of Italy? (English)',
      'Q: What colour is the sky? (English) Hint: look up',
      'Q: What is the capital of Italy? (French)',
      'Q: What colour is the sky? (French) Hint: look up',
    ]);
  });

  it('per-test prompts and providers filters and provider.prompts narrow the grid', () => {
    const { spec } = loadPromptfooConfig(
      [
        'prompts:',
        '  - {raw: "A {{x}}", label: a}',
        '  - {raw: "B {{x}}", label: b}',
        'providers:',
        '  - {id: echo, label: e}',
        '  - {id: "ollama:chat:llama3", prompts: [b]}',
        'tests:',
        '  - {vars: {x: 1}, prompts: [a]}',
        '  - {vars: {x: 2}, providers: [e]}',
      ].join('\n'),
    );
    const planned = planCases(spec);
    expect(planned.map((p) => p.caseId)).toEqual(['test-1#1', 'test-2#1', 'test-2#2']);
    expect(spec.cases[1]!.providers).toEqual(['e']);
    expect(planned.filter((pc) => runsOn(spec, pc, 'echo:echo')).map((pc) => pc.caseId)).toEqual(['test-1#1', 'test-2#1', 'test-2#2']);
    // The ollama entry takes only prompt b, and test-2 names only provider e: nothing is left for it.
    expect(planned.filter((pc) => runsOn(spec, pc, 'compat:ollama/llama3')).map((pc) => pc.caseId)).toEqual([]);
    const wild = loadPromptfooConfig('prompts: [hi]\nproviders: [echo, openai:gpt-4o]\ntests:\n  - {vars: {}, providers: ["openai:*"]}\n').spec;
    expect(providerKeys(wild).filter((m) => runsOn(wild, planCases(wild)[0]!, m))).toEqual(['openai:gpt-4o']);
    // A model given with --models is outside the suite's filters and runs every row.
    expect(planned.filter((pc) => runsOn(spec, pc, 'openai:gpt-4o')).map((pc) => pc.caseId)).toEqual(['test-1#1', 'test-2#1', 'test-2#2']);
    expect(spec.providers[1]).toMatchObject({ id: 'compat:ollama/llama3', prompts: ['b'] });
  });

  it('a list of strings in vars multiplies cases; a list of numbers or objects is one value (promptfoo)', () => {
    const { spec } = loadPromptfooConfig('prompts: ["{{a}} {{b}} {{ items[0].n }} {{ nums[1] }}"]\ntests:\n  - vars: {a: [x, y], b: ["1", "2", "3"], items: [{n: first}], nums: [10, 20]}\n');
    expect(spec.cases.map((c) => `${c.vars.a}${c.vars.b}`)).toEqual(['x1', 'x2', 'x3', 'y1', 'y2', 'y3']);
    expect(spec.cases[0]!.vars.nums).toEqual([10, 20]);
    expect(planCases(spec)[0]!.prompt).toBe('x 1 first 20');
  });
});

describe('templates', () => {
  it('a JSON prompt has each string rendered, so quotes in vars keep it valid JSON (promptfoo)', () => {
    const rendered = renderPrompt('[{"role": "user", "content": "Say {{ q }}"}]', { q: 'a "quoted" word' });
    expect(chatMessages(rendered)).toEqual([{ role: 'user', content: 'Say a "quoted" word' }]);
  });

  it('drops one trailing newline from vars and resolves vars that name other vars', () => {
    expect(prepareVars({ a: 'x\n', b: 'see {{a}}', c: '{{ b }}!' })).toEqual({ a: 'x', b: 'see x', c: 'see x!' });
  });

  it('cannot reach Function, the process or the host through a template', () => {
    const attempts = [
      '{{ range.constructor("return typeof process")() }}',
      '{{ name.constructor.constructor("return typeof process")() }}',
      '{{ constructor.getOwnPropertyDescriptor(constructor.getPrototypeOf(range), "constructor").value("return typeof process")() }}',
      '{{ cycler.__proto__ }}{{ valueOf().env }}',
    ];
    for (const t of attempts) {
      let out: string;
      try {
        out = renderPrompt(t, { name: 'x' });
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        continue;
      }
      expect(out).not.toMatch(/object|function/);
    }
  });

  it('nested loops and padding filters cannot make a render run or grow without bound', () => {
    const err = (t: string) => {
      try {
        return renderPrompt(t, {});
      } catch (error) {
        return (error as AppError).message;
      }
    };
    expect(err('{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}')).toMatch(/range\(\) may produce at most 10000/);
    expect(err('{{ "a" | center(1000000000) }}').length).toBeLessThanOrEqual(10_000);
    expect(renderPrompt('{% for i in range(3) %}{{ i }}{% endfor %}', {})).toBe('012');
  });

  it('exposes only the suite env block, never the process environment', () => {
    process.env.PARITY_TEST_SECRET = 'hunter2';
    try {
      expect(renderPrompt('{{ env.PARITY_TEST_SECRET }}|{{ env.TONE }}', {}, { env: { TONE: 'dry' } })).toBe('|dry');
    } finally {
      delete process.env.PARITY_TEST_SECRET;
    }
  });
});

describe('provider config', () => {
  it('carries tools, tool_choice and a json_schema response_format into the request; other keys are listed as ignored', () => {
    const yaml = [
      'prompts: ["{{q}}"]',
      'providers:',
      '  - id: openai:gpt-4o-mini',
      '    config:',
      '      apiKey: sk-do-not-store',
      '      frequency_penalty: 0.2',
      '      tool_choice: {type: function, function: {name: get_weather}}',
      '      response_format: {type: json_schema, json_schema: {name: answer, schema: {type: object, properties: {a: {type: string}}}}}',
      '      tools:',
      '        - type: function',
      '          function: {name: get_weather, description: Weather, parameters: {type: object, properties: {city: {type: string}}, required: [city]}}',
      'tests:',
      '  - vars: {q: x}',
      '    assert: [{type: is-valid-openai-tools-call}]',
    ].join('\n');
    const { spec, warnings } = loadPromptfooConfig(yaml);
    expect(spec.providers[0]!.params).toEqual({
      toolChoice: { name: 'get_weather' },
      responseFormat: { jsonSchema: { type: 'object', properties: { a: { type: 'string' } } }, name: 'answer' },
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    });
    expect(JSON.stringify(spec)).not.toContain('sk-do-not-store');
    expect(warnings).toEqual(['line 5, field "providers[0].config": ignored: apiKey, frequency_penalty (no matching field in a Parity generation request)']);
    // The assertion without a value checks against the provider's tools, as promptfoo does.
    expect(spec.cases[0]!.assert[0]!.value).toEqual([expect.objectContaining({ type: 'function' })]);
  });

  it('round-trips the structured fields through export', () => {
    const yaml = 'prompts: [hi]\nproviders:\n  - id: openai:gpt-4o\n    config:\n      response_format: {type: json_object}\n      tool_choice: required\n      tools: [{type: function, function: {name: f, parameters: {type: object}}}]\ntests: [{vars: {}}]\n';
    const { spec } = loadPromptfooConfig(yaml);
    expect(loadPromptfooConfig(toPromptfooYaml(spec)).spec.providers).toEqual(spec.providers);
  });

  it('a similar assertion keeps a local embedding provider and lists a cloud one as ignored', () => {
    const yaml = 'prompts: [hi]\ntests:\n  - assert:\n      - {type: similar, value: x, provider: "local:/m/e.gguf"}\n      - {type: similar, value: y, provider: "openai:embedding:text-embedding-3-small"}\n';
    const { spec, warnings } = loadPromptfooConfig(yaml);
    expect(spec.cases[0]!.assert.map((a) => a.provider)).toEqual(['local:/m/e.gguf', undefined]);
    expect(warnings).toEqual([expect.stringMatching(/assert\[1\]\.provider": ignored embedding provider openai:embedding:text-embedding-3-small: Parity embeds with a local model/)]);
  });

  it('a tool_choice of the wrong shape is a problem at its line', () => {
    const e = thrownAppError(() => loadPromptfooConfig('prompts: [hi]\nproviders:\n  - id: openai:gpt-4o\n    config:\n      tool_choice: 42\ntests: [{vars: {}}]\n'));
    expect(e.details).toMatchObject({ line: 5, field: 'providers[0].config.tool_choice' });
  });
});

describe('provider ids', () => {
  it.each([
    ['openai:chat:gpt-4o', 'openai:gpt-4o'],
    ['anthropic:messages:claude-3-5-haiku-20241022', 'anthropic:claude-3-5-haiku-20241022'],
    ['ollama:chat:llama3.1:8b', 'compat:ollama/llama3.1:8b'],
    ['ollama:llama3', 'compat:ollama/llama3'],
    ['openrouter:meta-llama/llama-3.1-8b-instruct', 'compat:openrouter/meta-llama/llama-3.1-8b-instruct'],
    ['groq:llama-3.1-8b-instant', 'compat:groq/llama-3.1-8b-instant'],
    ['deepseek:deepseek-chat', 'compat:deepseek/deepseek-chat'],
    ['mistral:mistral-small-latest', 'compat:mistral/mistral-small-latest'],
    ['togetherai:meta-llama/Llama-3-8b-chat-hf', 'compat:together/meta-llama/Llama-3-8b-chat-hf'],
    ['fireworks:accounts/fireworks/models/llama-v3-8b-instruct', 'compat:fireworks/accounts/fireworks/models/llama-v3-8b-instruct'],
    ['azure:chat:my-deployment', 'compat:azure/my-deployment'],
    ['echo', 'echo:echo'],
  ])('%s → %s', (id, ref) => {
    expect(mapProviderId(id)).toMatchObject({ ok: true, ref });
  });

  it('refuses embedding ids and vertex as chat models with a clear reason, and keeps the file', () => {
    expect(mapProviderId('openai:embedding:text-embedding-3-small')).toMatchObject({ ok: false, reason: expect.stringMatching(/embedding model, not a chat model/) });
    expect(mapProviderId('vertex:gemini-1.5-pro')).toMatchObject({ ok: false, reason: expect.stringMatching(/use google:gemini-1\.5-pro/) });
    const { spec, warnings } = loadPromptfooConfig('prompts: [hi]\nproviders: [openai:embedding:text-embedding-3-small, openai:gpt-4o-mini]\ntests: [{vars: {}}]\n');
    expect(spec.providers.map((p) => p.id)).toEqual(['openai:gpt-4o-mini']);
    expect(warnings[0]).toMatch(/providers\[0\]": ignored provider: .*embedding model/);
  });
});
