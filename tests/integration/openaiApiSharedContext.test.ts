import { describe, expect, it } from 'vitest';
import { apiHarness } from '../helpers/apiHarness';
import { STORIES_MODEL } from '../helpers/tmp';

describe('OpenAI-compatible API by default', () => {
  it('uses the context chat already holds on a local model: no second KV cache for API requests', async () => {
    await using h = await apiHarness();
    const { model } = (await h.call('models.import', { path: STORIES_MODEL, mode: 'link' })) as { model: { id: string } };
    const ref = `local:${model.id}`;
    // A chat answer first (the engine's default sequences per context), then API requests.
    for await (const event of h.app.generation.stream(ref, [{ role: 'user', content: 'Hi' }], { maxTokens: 4, temperature: 0 })) void event;
    await Promise.all([1, 2].map(() => h.client.chat.completions.create({ model: ref, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 4 })));
    const loaded = (await h.app.engine.status()).loaded.find((m) => m.id === model.id);
    expect(loaded?.contexts).toBe(1);
  });
});
