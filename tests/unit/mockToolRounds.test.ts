import { describe, expect, it } from 'vitest';
import { generateWithMockTools, MAX_TOOL_ROUNDS, mockResultFor } from '../../src/main/core/evals/mockToolRounds';
import type { ChatMessage, GenerationParams } from '../../src/shared/domain/generation';
import { emptyMetrics } from '../../src/shared/domain/generation';
import type { StreamEvent } from '../../src/main/core/providers/ModelProvider';

const call = (city: string) => ({ id: null, name: 'get_weather', arguments: { city }, rawArguments: JSON.stringify({ city }) });
const tools: GenerationParams['tools'] = [
  { name: 'get_weather', parameters: {}, mockResults: [{ when: { city: 'Rome' }, result: 'rain' }, { result: 'sun' }] },
];

describe('mock tool results', () => {
  it("the case's mock wins, else the tool's first mockResults entry whose `when` matches the arguments", () => {
    expect(mockResultFor(call('Paris'), { get_weather: 'snow' }, tools)).toEqual({ found: true, result: 'snow' });
    expect(mockResultFor(call('Rome'), undefined, tools)).toEqual({ found: true, result: 'rain' });
    expect(mockResultFor(call('Oslo'), undefined, tools)).toEqual({ found: true, result: 'sun' });
    expect(mockResultFor({ ...call('x'), name: 'other' }, undefined, tools)).toEqual({ found: false });
  });

  it('a model that keeps calling stops after MAX_TOOL_ROUNDS; later rounds relax a forced choice to auto', async () => {
    const seen: Array<{ messages: ChatMessage[]; params: GenerationParams }> = [];
    const stream = async function* (messages: ChatMessage[], params: GenerationParams): AsyncGenerator<StreamEvent> {
      seen.push({ messages, params });
      yield { type: 'done', text: '', metrics: { ...emptyMetrics('p', 'm'), promptTokens: 1, completionTokens: 1, costUsd: null, toolCalls: [call('Paris')] } };
    };
    const out = await generateWithMockTools(stream, [{ role: 'user', content: 'q' }], { tools, toolChoice: 'required' }, undefined);
    expect(seen).toHaveLength(MAX_TOOL_ROUNDS);
    expect(seen.map((s) => s.params.toolChoice)).toEqual(['required', 'auto', 'auto', 'auto']);
    expect(seen[1]!.messages.at(-1)).toMatchObject({ role: 'assistant', toolCalls: [{ name: 'get_weather', result: 'sun' }] });
    expect(out.metrics?.toolCalls).toHaveLength(MAX_TOOL_ROUNDS);
    expect(out.metrics?.promptTokens).toBe(MAX_TOOL_ROUNDS);
    // Unknown cost in any round leaves the whole cost unknown, never a partial sum.
    expect(out.metrics?.costUsd).toBeNull();
  });
});
