/* eslint-disable @typescript-eslint/no-explicit-any -- request bodies are the provider's own JSON */
import { describe, expect, it } from 'vitest';
import type { FakeReply } from '../helpers/fakeProviders/FakeProviderServer';
import { providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';

const TOOLS = [{ name: 'get_weather', description: 'Forecast', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

function replyFor(body: string): FakeReply | undefined {
  if (/sunny/.test(body)) return { chunks: ['It is sunny', ' in Paris.'], usage: { input: 40, output: 6 } };
  if (/get_weather/.test(body)) return { chunks: [], toolCalls: [{ id: 'call_7', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage: { input: 30, output: 9 } };
  return undefined;
}

describe('chat: a tool call is answered by hand and the conversation continues', () => {
  it('the call is kept with its verdict, the typed result goes back to the model, and its answer follows as a child', async () => {
    await using h = await providerHarness({ server: { replyFor } });
    const call = routeCaller(h.app);
    const doneOnce = () => new Promise<void>((resolve) => {
      const off = h.app.bus.on('chat.done', () => {
        off();
        resolve();
      });
    });
    const conversation = await call('chat.conversations.create', { modelRef: h.ref('openai'), params: { tools: TOOLS, toolChoice: 'required' } });
    let finished = doneOnce();
    const sent = await call('chat.send', { conversationId: conversation.id, text: 'Weather in Paris?' });
    await finished;
    let view = await call('chat.conversations.get', { id: conversation.id });
    const asked = view.path.find((m) => m.id === sent.assistantMessageId)!;
    expect(asked.content).toBe('');
    expect(asked.metrics?.toolCalls).toEqual([{ id: 'call_7', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}', problem: null }]);

    // A wrong count is refused, naming what is expected; nothing starts.
    const wrong = await h.app.router.handle('chat.answerTools', { conversationId: conversation.id, messageId: asked.id, results: ['a', 'b'] }, { transport: 'test' });
    expect(!wrong.ok && wrong.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/1 expected, 2 given/) });

    finished = doneOnce();
    const next = await call('chat.answerTools', { conversationId: conversation.id, messageId: asked.id, results: [{ sky: 'sunny', celsius: 21 }] });
    await finished;
    view = await call('chat.conversations.get', { id: conversation.id });
    const answer = view.path.find((m) => m.id === next.assistantMessageId)!;
    expect(answer.content).toBe('It is sunny in Paris.');
    expect(answer.parentId).toBe(asked.id);
    expect(view.path.find((m) => m.id === asked.id)!.metrics?.toolCalls?.[0]?.result).toEqual({ sky: 'sunny', celsius: 21 });
    // The model saw its call and the result in OpenAI's own shape.
    const body = JSON.parse(h.servers.openai.generationRequests.at(-1)!.body);
    expect(body.input.find((i: any) => i.type === 'function_call')).toMatchObject({ call_id: 'call_7', name: 'get_weather' });
    expect(body.input.find((i: any) => i.type === 'function_call_output')).toMatchObject({ call_id: 'call_7' });
    // The forced choice applied to the question, not to the answer after the results (it could only call again).
    expect(JSON.parse(h.servers.openai.generationRequests[0]!.body).tool_choice).toBe('required');
    expect(body.tool_choice).toBe('auto');
  });
});
