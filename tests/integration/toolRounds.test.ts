/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are each provider's own JSON, read by path below */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, GenerationParams } from '../../src/shared/domain/generation';
import type { FakeReply, Wire } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL } from '../helpers/tmp';

const WEATHER = { type: 'object', properties: { city: { type: 'string', maxLength: 12 } }, required: ['city'] };
const TOOLS: GenerationParams['tools'] = [{ name: 'get_weather', description: 'Forecast', parameters: WEATHER }];

/** Calls get_weather until the request carries its result ("sunny"), then answers in text. */
function replyFor(body: string): FakeReply | undefined {
  if (/sunny/.test(body)) return { chunks: ['It is sunny', ' in Paris.'], usage: { input: 40, output: 6 } };
  if (/get_weather/.test(body)) return { chunks: [], toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage: { input: 30, output: 9 } };
  return undefined;
}

/** Where each wire puts a tool result in the next request. */
const RESULT_IN: Record<Wire, (b: any) => unknown> = {
  openai: (b) => b.input.find((i: any) => i.type === 'function_call_output'),
  compat: (b) => b.messages.find((m: any) => m.role === 'tool'),
  anthropic: (b) => b.messages.flatMap((m: any) => (Array.isArray(m.content) ? m.content : [])).find((c: any) => c.type === 'tool_result'),
  google: (b) => b.contents.flatMap((c: any) => c.parts).find((p: any) => p.functionResponse),
};

const ANSWERED: ChatMessage[] = [
  { role: 'user', content: 'Weather in Paris?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}', result: { sky: 'sunny', celsius: 21 } }] },
];

describe('a conversation continues after tool results (never run by Parity: given back)', () => {
  it.each(['openai', 'compat', 'anthropic', 'google'] as const)('%s: the call and its result go back in the wire format and the model answers', async (wire) => {
    await using h = await providerHarness({ server: { replyFor } });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), ANSWERED, { tools: TOOLS }));
    expect(done.text).toBe('It is sunny in Paris.');
    const sent = JSON.parse(h.servers[wire].generationRequests.at(-1)!.body);
    const result = RESULT_IN[wire](sent);
    expect(result, JSON.stringify(sent)).toBeTruthy();
    expect(JSON.stringify(result)).toMatch(/sunny/);
  });

  it('a local model continues its own turn after the result (node-llama-cpp function-call history)', async () => {
    await using h = await providerHarness();
    const imported = await h.app.router.handle('models.import', { path: STORIES_MODEL, mode: 'link' }, { transport: 'test' });
    if (!imported.ok) throw new Error(imported.error.message);
    const { done } = await collect(h.app.generation.stream(`local:${(imported.data as { model: { id: string } }).model.id}`, ANSWERED, { tools: TOOLS, maxTokens: 12, temperature: 0, threads: 1 }));
    expect(done.metrics.error).toBeNull();
    expect(done.metrics.promptTokens).toBeGreaterThan(0);
  });

  it('an eval case with mockToolResults: the model calls, gets the mock, answers; every round counts', async () => {
    await using h = await providerHarness({ server: { replyFor } });
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', {
      format: 'yaml',
      content: `
description: tool rounds
prompts: ['Weather in {{city}}?']
tests:
  - metadata: { id: mocked }
    vars: { city: Paris }
    mockToolResults: { get_weather: { sky: sunny, celsius: 21 } }
    assert:
      - type: icontains
        value: sunny
      - type: tool-call-f1
        value: [get_weather]
  - metadata: { id: unanswered }
    vars: { city: Rome }
    assert:
      - type: is-valid-openai-tools-call
`,
    });
    const models = [h.ref('openai'), h.ref('anthropic'), `local:${STORIES_MODEL}`];
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models, params: { tools: TOOLS, toolChoice: { name: 'get_weather' }, maxTokens: 96, threads: 1, seed: 1 } });
    await finished;
    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.cells.filter((c) => c.status === 'error')).toEqual([]);
    for (const ref of models.slice(0, 2)) {
      const mocked = results.cells.find((c) => c.modelId === ref && c.caseId === 'mocked')!;
      expect(mocked.output).toBe('It is sunny in Paris.');
      expect(mocked.pass).toBe(true);
      expect(mocked.metrics.toolCalls).toHaveLength(1);
      // Two rounds: usage adds up.
      expect(mocked.metrics.promptTokens).toBe(70);
      // Without a mock result the case ends at the call.
      const unanswered = results.cells.find((c) => c.modelId === ref && c.caseId === 'unanswered')!;
      expect(unanswered).toMatchObject({ output: '', pass: true });
    }
    // The local model's forced call was answered from the mock and it wrote on (second round: auto).
    const local = results.cells.find((c) => c.modelId === models[2] && c.caseId === 'mocked')!;
    expect(local.metrics.toolCalls?.[0]?.name).toBe('get_weather');
    expect(local.assertions.find((a) => a.type === 'tool-call-f1')).toMatchObject({ pass: true });
    expect(local.output.length).toBeGreaterThan(0);
  }, 120_000);
});
