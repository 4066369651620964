import { describe, expect, it } from 'vitest';
import { planChat } from '../../src/main/ipc/openai/chatCompletions';

describe('OpenAI API: a tool exchange in the history', () => {
  it('folds assistant tool_calls and their tool messages into one assistant turn with results (JSON parsed, text kept)', () => {
    const plan = planChat({
      model: 'local:abc',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'c2', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c2', content: 'rain, 12 C' },
        { role: 'tool', tool_call_id: 'c1', content: '{"sky":"sunny"}' },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    expect(plan.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}', result: { sky: 'sunny' } },
          { id: 'c2', name: 'get_weather', arguments: null, rawArguments: '{"city":', result: 'rain, 12 C' },
        ],
      },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });
});
