import { describe, expect, it } from 'vitest';
import { createApp, type ParityApp } from '../../src/main/app';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { DEFAULT_MAX_TOKENS } from '../../src/shared/domain/generationDefaults';
import type { EventPayload } from '../../src/shared/contract';
import { FakeProviderServer, type RecordedRequest } from '../helpers/fakeProviders/FakeProviderServer';
import { FAKE_KEYS } from '../helpers/fakeProviders/providerApp';
import { useSavedEnv } from '../helpers/cli';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_OFFLINE'];

/** What the request on the wire asked for, whichever OpenAI endpoint the client used. */
function wire(request: RecordedRequest): { maxTokens: unknown; temperature: unknown } {
  const body = JSON.parse(request.body) as Record<string, unknown>;
  return { maxTokens: body.max_output_tokens ?? body.max_completion_tokens ?? body.max_tokens, temperature: body.temperature };
}

async function call(app: ParityApp, route: string, input: unknown) {
  const result = await app.router.handle(route, input, { transport: 'test' });
  if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- route outputs are checked by the router; the test reads fields loosely
  return result.data as any;
}

describe('generation defaults reach the provider when a request sets no max tokens', () => {
  useSavedEnv(ENV_NAMES);

  it('chat and compare send 1,024, evals 512 at temperature 0; chat samples at 0.7', async () => {
    expect(DEFAULT_MAX_TOKENS).toEqual({ chat: 1024, compare: 1024, evals: 512 });
    using dir = tempDir();
    await using server = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
    process.env.OPENAI_BASE_URL = server.baseUrl;
    delete process.env.PARITY_OFFLINE;
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });

    // Chat: a conversation with no parameters at all.
    const conv = await call(app, 'chat.conversations.create', { modelRef: 'openai:gpt-4o-mini' });
    const done = new Promise<EventPayload<'chat.done'>>((resolve) => {
      const off = app.bus.on('chat.done', (p) => {
        off();
        resolve(p);
      });
    });
    await call(app, 'chat.send', { conversationId: conv.id, text: 'Say hello' });
    const answer = await done;
    expect(answer.status).toBe('complete');
    expect(server.generationRequests).toHaveLength(1);
    expect(wire(server.generationRequests[0]!)).toEqual({ maxTokens: 1024, temperature: 0.7 });
    // OpenAI takes no seed, so none is invented for it (and none is recorded).
    expect(answer.metrics.sampling).toEqual({ maxTokens: 1024, temperature: 0.7 });

    // Compare: no params.
    const session = await call(app, 'compare.start', { prompt: 'Say hello', refs: ['openai:gpt-4o-mini', 'openai:gpt-4o'] });
    for (let i = 0; i < 200; i++) {
      const s = await call(app, 'compare.get', { sessionId: session.id });
      if (s.slots.every((slot: { status: string }) => slot.status !== 'streaming')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const compareRequests = server.generationRequests.slice(1);
    expect(compareRequests).toHaveLength(2);
    for (const r of compareRequests) expect(wire(r).maxTokens).toBe(1024);

    // Evals: a suite and a run that set no parameters.
    const suite = app.evals.createSuite(SuiteSpecSchema.parse({ name: 'defaults', providers: [{ id: 'openai:gpt-4o-mini' }], cases: [{ id: 'c1', vars: { prompt: 'Say hello' } }] }));
    const run = await app.evals.createRun({ suiteId: suite.id, suiteVersion: suite.version, models: ['openai:gpt-4o-mini'], repeat: 1 });
    await app.evals.execute(run.id);
    const evalRequests = server.generationRequests.slice(3);
    expect(evalRequests).toHaveLength(1);
    expect(wire(evalRequests[0]!)).toEqual({ maxTokens: 512, temperature: 0 });
    // The run card says what was used, not "default".
    expect(app.evals.getRun(run.id).runCard.models[0]!.params).toMatchObject({ maxTokens: 512, temperature: 0 });
  });
});

describe('Regenerate on a local model', () => {
  it('samples each answer with a fresh, recorded seed, so the answers differ', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const imported = await call(app, 'models.import', { path: STORIES_MODEL, mode: 'link' });
    // Only what the test needs fixed; temperature and seed are left to the chat defaults.
    const conv = await call(app, 'chat.conversations.create', { modelRef: `local:${imported.model.id}`, params: { threads: 1, maxTokens: 48 } });
    const nextDone = () =>
      new Promise<EventPayload<'chat.done'>>((resolve) => {
        const off = app.bus.on('chat.done', (p) => {
          off();
          resolve(p);
        });
      });
    let done = nextDone();
    const sent = await call(app, 'chat.send', { conversationId: conv.id, text: 'Once upon a time' });
    const answers = [await done];
    await app.chat.waitForIdle(conv.id);
    for (let i = 0; i < 2; i++) {
      done = nextDone();
      await call(app, 'chat.regenerate', { conversationId: conv.id, messageId: sent.assistantMessageId });
      answers.push(await done);
      await app.chat.waitForIdle(conv.id);
    }
    for (const a of answers) {
      expect(a.status).toBe('complete');
      // stories260K's GGUF recommends no sampling, so chat's fallback applies.
      expect(a.metrics.sampling).toMatchObject({ temperature: 0.7, maxTokens: 48, seed: expect.any(Number) });
    }
    const seeds = answers.map((a) => a.metrics.sampling!.seed);
    expect(new Set(seeds).size).toBe(3);
    // Stored with the answers, not only sent in the event.
    const stored = await call(app, 'chat.conversations.get', { id: conv.id });
    const shown = stored.path.at(-1);
    expect(shown.metrics.sampling.seed).toBe(seeds[2]);
    // Three 48-token samples at 0.7 from a story model: identical text would mean greedy decoding.
    expect(new Set(answers.map((a) => a.text)).size).toBeGreaterThan(1);
  });
});
