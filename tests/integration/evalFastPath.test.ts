import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import type { StreamEvent } from '../../src/main/core/providers/ModelProvider';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import type { ChatMessage, GenerationParams } from '../../src/shared/domain/generation';
import { STORIES_MODEL, SYNTHETIC_MODEL, TINY_RANDOM_MODEL } from '../helpers/tmp';

/** What one generation gave llama.cpp: the whole prompt (kept cache + new tokens) and the sampling. */
interface Sent {
  prompt: Token[];
  sampling: Record<string, unknown>;
  /** LlamaChat hands the sequence a grammar getter, LlamaCompletion the state itself (or nothing): which path ran. */
  path: 'chat' | 'completion';
}

const engine = new LlamaEngine({ gpu: false, idleUnloadMinutes: () => 0 });
const sent: Sent[] = [];
const watched = new WeakSet<LlamaContextSequence>();
// Observes the real sequence each generation gets; nothing is replaced.
const acquire = engine.acquire.bind(engine);
engine.acquire = async (info, options) => {
  const lease = await acquire(info, options);
  const sequence = lease.sequence;
  if (!watched.has(sequence)) {
    watched.add(sequence);
    const evaluate = sequence.evaluate.bind(sequence);
    sequence.evaluate = ((tokens: Token[], options: Parameters<LlamaContextSequence['evaluate']>[1] = {}) => {
      const { grammarEvaluationState, repeatPenalty, ...rest } = options;
      const penalty = repeatPenalty === undefined ? undefined : { ...repeatPenalty, punishTokens: typeof repeatPenalty.punishTokens };
      sent.push({ prompt: [...sequence.contextTokens, ...tokens], sampling: { ...rest, repeatPenalty: penalty }, path: typeof grammarEvaluationState === 'function' ? 'chat' : 'completion' });
      return evaluate(tokens, options);
    }) as LlamaContextSequence['evaluate'];
  }
  return lease;
};
const provider = new LocalProvider({ engine, resolver: new PathModelResolver(), defaultThreads: () => 1 });
afterAll(() => engine.dispose());

async function run(model: string, messages: ChatMessage[], params: GenerationParams, oneShot: boolean) {
  sent.length = 0;
  let done: Extract<StreamEvent, { type: 'done' }> | null = null;
  let streamed = '';
  for await (const event of provider.stream({ model, messages, params }, { oneShot })) {
    if (event.type === 'delta') streamed += event.text;
    else done = event;
  }
  expect(sent.length).toBe(1);
  return { sent: sent[0]!, text: done!.text, streamed, metrics: done!.metrics };
}

const conversation: ChatMessage[] = [
  { role: 'system', content: 'You answer briefly.' },
  { role: 'user', content: 'Tell me a story about a cat.' },
  { role: 'assistant', content: 'Once there was a cat.' },
  { role: 'user', content: 'And then?' },
];
// Sampling that is not greedy, so a different sampler setup would show in the text.
const sampling: GenerationParams = { temperature: 0.9, topK: 30, topP: 0.9, minP: 0.02, repeatPenalty: 1.3, seed: 11, maxTokens: 24, threads: 1, contextSize: 512 };

describe('eval cells: completion of the rendered chat prompt (real GGUF)', () => {
  it.each([
    ['stories260K, ChatML', STORIES_MODEL, { chatTemplate: 'chatml' }],
    ['llama-2-tiny-random (Llama-2 tokenizer, BOS), ChatML', TINY_RANDOM_MODEL, { chatTemplate: 'chatml' }],
  ])('%s: sends the chat path’s exact tokens and sampling, and answers the same', async (_name, model, extra) => {
    const params = { ...sampling, ...extra };
    const chat = await run(model, conversation, params, false);
    const oneShot = await run(model, conversation, params, true);
    expect(chat.sent.path).toBe('chat');
    expect(oneShot.sent.path).toBe('completion');
    expect(oneShot.sent.prompt).toEqual(chat.sent.prompt);
    expect(oneShot.sent.sampling).toEqual(chat.sent.sampling);
    expect(oneShot.text).toBe(chat.text);
    expect(oneShot.streamed).toBe(oneShot.text);
    expect(oneShot.metrics.completionTokens).toBe(chat.metrics.completionTokens);
    expect(oneShot.metrics.stopReason).toBe(chat.metrics.stopReason);
    // Evaluated + cached: the chat run may have left a prefix in a pooled sequence.
    expect((oneShot.metrics.promptTokens ?? 0) + (oneShot.metrics.promptTokensCached ?? 0)).toBe((chat.metrics.promptTokens ?? 0) + (chat.metrics.promptTokensCached ?? 0));
  });

  it('keeps LlamaChat for a template that drops leading text of the answer (synthetic-84m’s Jinja template)', async () => {
    // LlamaChat strips leading whitespace there and leaves those tokens out of the repeat penalty; a completion would not.
    const params = { ...sampling };
    const chat = await run(SYNTHETIC_MODEL, conversation, params, false);
    const oneShot = await run(SYNTHETIC_MODEL, conversation, params, true);
    expect(oneShot.sent.path).toBe('chat');
    expect(oneShot.sent.prompt).toEqual(chat.sent.prompt);
    expect(oneShot.text).toBe(chat.text);
  });

  it('reads a user stop sequence as stop-sequence and a JSON grammar the same way as chat', async () => {
    // Greedy on a story model: find a word it writes, then stop on it.
    const story: ChatMessage[] = [{ role: 'user', content: 'Once upon a time' }];
    const greedy: GenerationParams = { temperature: 0, seed: 1, maxTokens: 40, threads: 1, contextSize: 512, chatTemplate: 'chatml' };
    const free = await run(STORIES_MODEL, story, greedy, false);
    const word = free.text.trim().split(/\s+/)[2]!;
    const stopped = { ...greedy, stop: [word] };
    const chat = await run(STORIES_MODEL, story, stopped, false);
    const oneShot = await run(STORIES_MODEL, story, stopped, true);
    expect(oneShot.sent.path).toBe('completion');
    expect(chat.metrics.stopReason).toBe('stop-sequence');
    expect(oneShot.metrics.stopReason).toBe('stop-sequence');
    expect(oneShot.text).toBe(chat.text);

    const json = { ...greedy, maxTokens: 30, responseFormat: 'json' as const };
    const chatJson = await run(STORIES_MODEL, story, json, false);
    const oneShotJson = await run(STORIES_MODEL, story, json, true);
    expect(oneShotJson.sent.path).toBe('completion');
    expect(oneShotJson.sent.prompt).toEqual(chatJson.sent.prompt);
    expect(oneShotJson.text).toBe(chatJson.text);
    expect(oneShotJson.text.startsWith('{')).toBe(true);
  });
});
