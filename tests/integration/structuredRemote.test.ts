/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are each provider's own JSON, read by path below */
import { describe, expect, it } from 'vitest';
import type { GenerationParams } from '../../src/shared/domain/generation';
import { isAppError } from '../../src/shared/errors';
import type { Wire } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, providerHarness } from '../helpers/fakeProviders/providerApp';

const WIRES: Wire[] = ['openai', 'anthropic', 'google', 'compat'];
const MESSAGES = [{ role: 'user' as const, content: 'Weather in Paris?' }];
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const TOOLS: GenerationParams['tools'] = [
  { name: 'get_weather', description: 'Forecast for a city', parameters: SCHEMA },
  { name: 'get_time', parameters: { type: 'object', properties: {} } },
];

function body(h: Awaited<ReturnType<typeof providerHarness>>, wire: Wire): Record<string, unknown> {
  return JSON.parse(h.servers[wire].generationRequests.at(-1)!.body) as Record<string, unknown>;
}

/** Where each wire carries the schema and the tools in the request it sends. */
const WIRE_FIELDS: Record<Wire, { schema: (b: any) => unknown; tools: (b: any) => string[]; forced: (b: any) => unknown }> = {
  openai: { schema: (b) => b.text?.format?.schema, tools: (b) => b.tools.map((t: any) => t.name), forced: (b) => b.tool_choice },
  compat: { schema: (b) => b.response_format?.json_schema?.schema, tools: (b) => b.tools.map((t: any) => t.function.name), forced: (b) => b.tool_choice },
  anthropic: { schema: (b) => b.output_config?.format?.schema, tools: (b) => b.tools.map((t: any) => t.name), forced: (b) => b.tool_choice },
  google: {
    schema: (b) => b.generationConfig?.responseJsonSchema ?? b.generationConfig?.responseSchema,
    tools: (b) => b.tools[0].functionDeclarations.map((f: any) => f.name),
    forced: (b) => b.toolConfig?.functionCallingConfig,
  },
};

describe('structured output and tool calls over each provider wire', () => {
  it.each(WIRES)('%s: a JSON Schema request goes out in the provider field and the JSON answer comes back marked constrained by the provider', async (wire) => {
    await using h = await providerHarness({ server: { reply: { chunks: ['{"city":', ' "Paris"}'], usage: { input: 9, output: 6 } } } });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, { responseFormat: { jsonSchema: SCHEMA, name: 'place' } }));
    expect(JSON.parse(done.text)).toEqual({ city: 'Paris' });
    expect(done.metrics.constrained).toBe('provider');
    expect(done.metrics.toolCalls).toBeUndefined();
    expect(WIRE_FIELDS[wire].schema(body(h, wire))).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
  });

  it.each(WIRES)('%s: tool calls stream in the wire format and come back parsed, with the arguments as sent', async (wire) => {
    const toolCalls = [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }];
    await using h = await providerHarness({ server: { reply: { chunks: [], toolCalls, usage: { input: 20, output: 8 } } } });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, { tools: TOOLS, toolChoice: 'required' }));
    expect(done.text).toBe('');
    expect(done.metrics.stopReason).toBe('eos');
    expect(done.metrics.error).toBeNull();
    expect(done.metrics.constrained).toBe('provider');
    expect(done.metrics.toolCalls).toHaveLength(1);
    expect(done.metrics.toolCalls![0]).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
    expect(JSON.parse(done.metrics.toolCalls![0]!.rawArguments)).toEqual({ city: 'Paris' });
    const sent = body(h, wire);
    expect(WIRE_FIELDS[wire].tools(sent)).toEqual(['get_weather', 'get_time']);
    expect(WIRE_FIELDS[wire].forced(sent)).toBeTruthy();
  });

  it.each(['openai', 'anthropic', 'compat'] as const)('%s: arguments that are not JSON are kept verbatim (arguments null), never dropped', async (wire) => {
    const toolCalls = [{ id: 'call_2', name: 'get_weather', arguments: '{"city": "Par' }];
    await using h = await providerHarness({ server: { reply: { chunks: ['Let me check.'], toolCalls, usage: { input: 20, output: 8 } } } });
    const { done } = await collect(h.app.generation.stream(h.ref(wire), MESSAGES, { tools: TOOLS }));
    expect(done.text).toBe('Let me check.');
    expect(done.metrics.toolCalls).toEqual([{ id: 'call_2', name: 'get_weather', arguments: null, rawArguments: '{"city": "Par', problem: expect.stringMatching(/not JSON/) }]);
  });

  it('a plain-text request sends no structure fields and reports no constraint', async () => {
    await using h = await providerHarness();
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, {}));
    expect(done.metrics.constrained).toBeUndefined();
    expect(body(h, 'openai').tools).toBeUndefined();
    expect(body(h, 'openai').text).toBeUndefined();
  });

  it('Anthropic has no schema-less JSON mode: "unsupported by Anthropic" before anything is sent', async () => {
    await using h = await providerHarness();
    const error = await collect(h.app.generation.stream(h.ref('anthropic'), MESSAGES, { responseFormat: 'json' })).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('NOT_SUPPORTED');
    expect((error as Error).message).toMatch(/unsupported by Anthropic \(claude-sonnet-4-5\)/);
    expect(h.servers.anthropic.generationRequests).toHaveLength(0);
  });

  it('an OpenAI-compatible server that rejects tools or response_format yields "unsupported by" that endpoint, not plain text', async () => {
    await using h = await providerHarness({ server: { rejectStructure: true } });
    for (const params of [{ tools: TOOLS }, { responseFormat: { jsonSchema: SCHEMA } }] as GenerationParams[]) {
      const error = await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, params)).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('NOT_SUPPORTED');
      expect((error as Error).message).toMatch(/unsupported by endpoint "fake" \(fake\/llama-3\.1-8b-instant\)/);
    }
    // The same server still answers a plain request.
    const { done } = await collect(h.app.generation.stream(h.ref('compat'), MESSAGES, {}));
    expect(done.text).toBe('Hello, world!');
  });

  it('an invalid tool schema is refused with its path before any request', async () => {
    await using h = await providerHarness();
    const tools = [{ name: 'bad', parameters: { type: 'object', properties: { a: { multipleOf: 'x' } } } }];
    const error = await collect(h.app.generation.stream(h.ref('openai'), MESSAGES, { tools } as GenerationParams)).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('VALIDATION_FAILED');
    expect((error as Error).message).toMatch(/tools\.0\.parameters\/properties\/a\/multipleOf/);
    expect(h.servers.openai.generationRequests).toHaveLength(0);
  });
});
