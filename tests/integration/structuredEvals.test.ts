import { describe, expect, it } from 'vitest';
import type { GenerationParams } from '../../src/shared/domain/generation';
import type { FakeReply } from '../helpers/fakeProviders/FakeProviderServer';
import { providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL } from '../helpers/tmp';

const WEATHER = { type: 'object', properties: { city: { type: 'string', maxLength: 16 } }, required: ['city'], additionalProperties: false };
const PLACE = { type: 'object', properties: { city: { type: 'string', maxLength: 16 }, rank: { type: 'integer' } }, required: ['city', 'rank'], additionalProperties: false };
const TOOLS: GenerationParams['tools'] = [
  { name: 'get_weather', description: 'Forecast for a city', parameters: WEATHER },
  { name: 'get_time', description: 'Local time in a city', parameters: WEATHER },
];

const JSON_SUITE = `
description: structured json
prompts: ['Name a city like {{city}} as JSON']
tests:
  - metadata: { id: paris }
    vars: { city: Paris }
    assert:
      - type: is-json
        value: ${JSON.stringify(PLACE)}
      - type: javascript
        value: 'context.json !== null && typeof context.json.city === "string"'
  - metadata: { id: rome }
    vars: { city: Rome }
    assert:
      - type: is-json
        value: ${JSON.stringify(PLACE)}
`;

const TOOL_SUITE = `
description: structured tools
prompts: ['What is the weather in {{city}}?']
tests:
  - metadata: { id: paris }
    vars: { city: Paris }
    assert:
      - type: is-valid-openai-tools-call
      - type: tool-call-f1
        value: [get_weather]
      - type: javascript
        value: 'context.toolCalls.length === 1 && context.toolCalls[0].name === "get_weather"'
  - metadata: { id: rome }
    vars: { city: Rome }
    assert:
      - type: is-valid-openai-tools-call
      - type: tool-call-f1
        value: [get_weather]
`;

/**
 * The fake models: JSON that follows the schema when asked for JSON; a get_weather call when
 * offered tools, except Gemini, which calls it with a number for the city in the Rome case
 * (valid JSON, invalid arguments) so its tool-call validity is 1 of 2 cases.
 */
function replyFor(body: string): FakeReply | undefined {
  if (/get_weather/.test(body)) {
    const rome = /Rome/.test(body);
    const gemini = /"contents":/.test(body);
    const args = gemini && rome ? '{"city":5}' : `{"city":"${rome ? 'Rome' : 'Paris'}"}`;
    return { chunks: [], toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: args }], usage: { input: 30, output: 9 } };
  }
  return { chunks: ['{"city": "Paris",', ' "rank": 1}'], usage: { input: 12, output: 8 } };
}

describe('evals score structured output and tool calls per model, over cases', () => {
  it('a local model and the fake OpenAI, Anthropic and Gemini servers: the scorecard has JSON-valid, schema-valid, tool-call validity and tool-choice accuracy', async () => {
    await using h = await providerHarness({ server: { replyFor } });
    const call = routeCaller(h.app);
    const local = `local:${STORIES_MODEL}`;
    const models = [h.ref('openai'), h.ref('anthropic'), h.ref('google'), local];
    const runSuite = async (yaml: string, params: GenerationParams) => {
      const suite = await call('evals.suites.import', { format: 'yaml', content: yaml });
      const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
      const run = await call('evals.runs.start', { suiteId: suite.id, models, params: { seed: 1, threads: 1, ...params } });
      await finished;
      return call('evals.runs.results', { runId: run.id });
    };

    const json = await runSuite(JSON_SUITE, { responseFormat: { jsonSchema: PLACE, name: 'place' } });
    expect(json.cells.filter((c) => c.status === 'error')).toEqual([]);
    for (const s of json.scorecards) {
      expect(s.structured?.jsonValid, s.modelId).toEqual({ rate: 1, ci95: [expect.any(Number), 1], cases: 2 });
      expect(s.structured?.schemaValid, s.modelId).toMatchObject({ rate: 1, cases: 2 });
      // Not asked for in this run: not measured, never 0%.
      expect(s.structured?.toolCallValid, s.modelId).toBeNull();
      expect(s.structured?.toolChoiceAccuracy, s.modelId).toBeNull();
    }
    // javascript received the parsed JSON as plain data.
    for (const c of json.cells.filter((x) => x.caseId === 'paris')) expect(c.assertions.find((a) => a.type === 'javascript'), c.modelId).toMatchObject({ pass: true });
    const localCell = json.cells.find((c) => c.modelId === local)!;
    expect(localCell.metrics.constrained).toBe('grammar');
    expect(json.cells.find((c) => c.modelId === h.ref('openai'))!.metrics.constrained).toBe('provider');

    const tools = await runSuite(TOOL_SUITE, { tools: TOOLS, toolChoice: { name: 'get_weather' } });
    expect(tools.cells.filter((c) => c.status === 'error')).toEqual([]);
    const card = Object.fromEntries(tools.scorecards.map((s) => [s.modelId, s.structured!]));
    for (const ref of [h.ref('openai'), h.ref('anthropic'), local]) {
      expect(card[ref]!.toolCallValid, ref).toMatchObject({ rate: 1, cases: 2 });
      expect(card[ref]!.toolChoiceAccuracy, ref).toMatchObject({ rate: 1, cases: 2 });
      expect(card[ref]!.jsonValid, ref).toBeNull();
    }
    expect(card[h.ref('google')]!.toolCallValid).toMatchObject({ rate: 0.5, cases: 2 });
    const [lo, hi] = card[h.ref('google')]!.toolCallValid!.ci95;
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(0.5);
    // The assertions saw the calls the models made, not text.
    const romeGoogle = tools.cells.find((c) => c.modelId === h.ref('google') && c.caseId === 'rome')!;
    expect(romeGoogle.assertions.find((a) => a.type === 'is-valid-openai-tools-call')).toMatchObject({ pass: false, reason: expect.stringMatching(/do not match its parameters/) });
    expect(romeGoogle.assertions.find((a) => a.type === 'tool-call-f1')).toMatchObject({ pass: true, score: 1 });
    for (const c of tools.cells.filter((x) => x.caseId === 'paris')) expect(c.assertions.find((a) => a.type === 'javascript'), c.modelId).toMatchObject({ pass: true });
  }, 120_000);

  it('a provider that cannot do the requested feature gives an "unsupported" cell, not a crash, and measures nothing', async () => {
    await using h = await providerHarness({ server: { replyFor } });
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: JSON_SUITE });
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models: [h.ref('anthropic'), h.ref('openai')], params: { responseFormat: 'json' } });
    await finished;
    const results = await call('evals.runs.results', { runId: run.id });
    const anthropic = results.cells.filter((c) => c.modelId === h.ref('anthropic'));
    expect(anthropic).toHaveLength(2);
    for (const c of anthropic) expect(c).toMatchObject({ status: 'error', error: { code: 'NOT_SUPPORTED', message: expect.stringMatching(/unsupported by Anthropic/) } });
    const card = Object.fromEntries(results.scorecards.map((s) => [s.modelId, s.structured!]));
    expect(card[h.ref('anthropic')]!.jsonValid).toBeNull();
    expect(card[h.ref('openai')]!.jsonValid).toMatchObject({ rate: 1, cases: 2 });
    expect(h.servers.anthropic.generationRequests).toHaveLength(0);
  });
});
