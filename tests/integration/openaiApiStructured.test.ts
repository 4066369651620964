import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, importStories, type ApiHarness } from '../helpers/apiHarness';

let h: ApiHarness;
let model: string;

beforeAll(async () => {
  h = await apiHarness();
  model = await importStories(h);
}, 60_000);

afterAll(async () => {
  await h?.[Symbol.asyncDispose]();
});

const SCHEMA = { type: 'object', properties: { title: { type: 'string', maxLength: 20 }, pages: { type: 'integer' } }, required: ['title', 'pages'], additionalProperties: false };
const WEATHER = { type: 'function' as const, function: { name: 'get_weather', description: 'Forecast', parameters: { type: 'object', properties: { city: { type: 'string', maxLength: 16 } }, required: ['city'] } } };

describe('OpenAI-compatible API: response_format and tools on a local model (the official openai client)', () => {
  it('json_schema: the content parses and follows the schema', async () => {
    const res = await h.client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'A book' }],
      seed: 4,
      response_format: { type: 'json_schema', json_schema: { name: 'book', schema: SCHEMA } },
    });
    const value = JSON.parse(res.choices[0]!.message.content!);
    expect(new Ajv().validate(SCHEMA, value)).toBe(true);
    expect(res.choices[0]!.finish_reason).toBe('stop');
  });

  it('json_object streams a JSON object (a cap on tokens can still cut it: then finish_reason says length)', async () => {
    const stream = await h.client.chat.completions.create({ model, messages: [{ role: 'user', content: 'A book' }], seed: 2, stream: true, response_format: { type: 'json_object' } });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('stop');
    expect(JSON.parse(text)).toBeTypeOf('object');
  });

  it('a forced tool call comes back as tool_calls (non-streaming and streaming), finish_reason tool_calls', async () => {
    const request = { model, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }], seed: 5, tools: [WEATHER], tool_choice: { type: 'function' as const, function: { name: 'get_weather' } } };
    const res = await h.client.chat.completions.create(request);
    const message = res.choices[0]!.message;
    expect(res.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toHaveLength(1);
    const call = message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    const args = JSON.parse(call.type === 'function' ? call.function.arguments : '');
    expect(new Ajv().validate(WEATHER.function.parameters, args)).toBe(true);

    const stream = await h.client.chat.completions.create({ ...request, stream: true });
    const pieces: Array<{ index: number; id?: string; name?: string; arguments?: string }> = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) pieces.push({ index: tc.index, id: tc.id, name: tc.function?.name, arguments: tc.function?.arguments });
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ index: 0, name: 'get_weather' });
    expect(JSON.parse(pieces[0]!.arguments!)).toEqual(args);
  });

  it('a tool exchange in the history (assistant tool_calls, then the tool message) continues the answer', async () => {
    const res = await h.client.chat.completions.create({
      model,
      seed: 1,
      max_tokens: 16,
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' },
      ],
    });
    expect(res.choices[0]!.finish_reason).toMatch(/stop|length|tool_calls/);
    expect(res.usage!.prompt_tokens).toBeGreaterThan(0);
  });
});
