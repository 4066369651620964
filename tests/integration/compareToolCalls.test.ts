import { describe, expect, it } from 'vitest';
import type { CompareSession } from '../../src/shared/contract';
import type { FakeReply } from '../helpers/fakeProviders/FakeProviderServer';
import { providerHarness } from '../helpers/fakeProviders/providerApp';

const TOOLS = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

/** OpenAI calls with a valid argument, Anthropic with a number for the city. */
function replyFor(body: string): FakeReply | undefined {
  if (/sunny/.test(body)) return { chunks: ['Sunny', ' today.'], usage: { input: 20, output: 3 } };
  const anthropic = /"max_tokens"/.test(body) && /"messages"/.test(body) && !/"stream_options"/.test(body) && /"tool_choice":\{"type"/.test(body);
  return { chunks: [], toolCalls: [{ id: anthropic ? 'toolu_01' : 'call_01', name: 'get_weather', arguments: anthropic ? '{"city":5}' : '{"city":"Paris"}' }], usage: { input: 10, output: 5 } };
}

describe('compare shows tool calls and the structured checks for one prompt, without naming a model while blind', () => {
  it('each answer lists its calls with the verdict and the checks; ids (which name a provider) wait for the vote', async () => {
    await using h = await providerHarness({ server: { replyFor } });
    const refs = [h.ref('openai'), h.ref('anthropic')];
    const started = await h.app.router.handle('compare.start', { prompt: 'Weather in Paris?', refs, blind: true, params: { tools: TOOLS, toolChoice: 'required' } }, { transport: 'test' });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.data as CompareSession).id;
    let session: CompareSession | null = null;
    for (let i = 0; i < 200 && session?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const got = await h.app.router.handle('compare.get', { sessionId: id }, { transport: 'test' });
      session = got.ok ? (got.data as CompareSession) : null;
    }
    const slots = session!.slots;
    const verdicts = slots.map((s) => s.metrics?.toolCalls?.[0]?.problem ?? null);
    expect(verdicts).toHaveLength(2);
    expect(verdicts).toEqual(expect.arrayContaining([null, expect.stringMatching(/do not match its parameters/)]));
    for (const s of slots) {
      expect(s.metrics?.toolCalls?.[0]).toMatchObject({ name: 'get_weather', id: null });
      expect(s.metrics?.checks).toMatchObject({ jsonValid: null, schemaValid: null, toolChoiceCorrect: true, toolCallValid: s.metrics?.toolCalls?.[0]?.problem === null });
    }
    // Answer one slot's call by hand: that model continues, its slot streams again, the other is untouched.
    const target = slots.find((s) => s.metrics?.toolCalls?.[0]?.problem === null)!;
    const other = slots.find((s) => s !== target)!;
    const answered = await h.app.router.handle('compare.answerTools', { sessionId: id, slot: target.slot, results: [{ sky: 'sunny' }] }, { transport: 'test' });
    expect(answered.ok, JSON.stringify(!answered.ok && answered.error)).toBe(true);
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const got = await h.app.router.handle('compare.get', { sessionId: id }, { transport: 'test' });
      session = got.ok ? (got.data as CompareSession) : null;
      if (session?.status === 'done') break;
    }
    const after = session!.slots.find((s) => s.slot === target.slot)!;
    expect(after.text).toBe('Sunny today.');
    expect(after.metrics?.toolCalls?.[0]).toMatchObject({ name: 'get_weather', result: { sky: 'sunny' }, id: null });
    expect(session!.slots.find((s) => s.slot === other.slot)!.text).toBe(other.text);
    const wrong = await h.app.router.handle('compare.answerTools', { sessionId: id, slot: other.slot, results: [1, 2] }, { transport: 'test' });
    expect(!wrong.ok && wrong.error.message).toMatch(/1 expected, 2 given/);

    const revealed = await h.app.router.handle('compare.reveal', { sessionId: id }, { transport: 'test' });
    const ids = (revealed.ok ? (revealed.data as CompareSession) : session!).slots.map((s) => s.metrics?.toolCalls?.[0]?.id).sort();
    expect(ids).toEqual(['call_01', 'toolu_01']);
  });
});
