import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatService } from '../../src/main/core/chat/ChatService';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { ConversationRepository } from '../../src/main/core/store/ConversationRepository';
import { MessageRepository } from '../../src/main/core/store/MessageRepository';
import { Store } from '../../src/main/core/store/Store';
import type { EventPayload } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const REF = `local:${STORIES_MODEL}`;
const PARAMS = { temperature: 0, seed: 1, maxTokens: 48, threads: 1, chatTemplate: 'chatml' };

const dir = tempDir();
const dbPath = join(dir.path, 'parity.db');
const engine = new LlamaEngine({ gpu: false });
let store: Store;
let bus: EventBus;
let chat: ChatService;
let generation: GenerationService;

function newService(options: { persistEveryMs?: number } = {}, { start = true } = {}): ChatService {
  const service = new ChatService({ conversations: new ConversationRepository(store), messages: new MessageRepository(store), generation, bus, transaction: (fn) => store.transaction(fn), ...options });
  if (start) service.start();
  return service;
}

beforeAll(() => {
  store = Store.open({ path: dbPath });
  bus = new EventBus();
  const registry = new ProviderRegistry();
  registry.register(new LocalProvider({ engine, resolver: new PathModelResolver(), defaultThreads: () => 1 }));
  generation = new GenerationService(registry);
  chat = newService();
});

afterAll(async () => {
  await chat.dispose();
  await engine.dispose();
  store.dispose();
  dir[Symbol.dispose]();
});

function record<E extends 'chat.delta' | 'chat.done'>(event: E): { events: EventPayload<E>[]; stop: () => void } {
  const events: EventPayload<E>[] = [];
  const stop = bus.on(event, (p) => void events.push(p));
  return { events, stop };
}

describe('ChatService (real SQLite, real GGUF)', () => {
  it('send returns at once, streams batched deltas, and stores the answer with its metrics', async () => {
    const c = chat.create({ modelRef: REF, params: PARAMS, systemPrompt: 'You tell stories.' });
    const deltas = record('chat.delta');
    const dones = record('chat.done');
    const { userMessageId, assistantMessageId } = chat.send(c.id, 'Once upon a time');
    const during = chat.get(c.id);
    expect(during.generating).toBe(true);
    expect(during.path.map((m) => m.id)).toEqual([userMessageId, assistantMessageId]);
    expect(during.path[1]!.status).toBe('streaming');
    await chat.waitForIdle(c.id);
    deltas.stop();
    dones.stop();

    const view = chat.get(c.id);
    const answer = view.path[1]!;
    expect(view.generating).toBe(false);
    expect(answer.status).toBe('complete');
    expect(answer.content.length).toBeGreaterThan(0);
    expect(deltas.events.filter((d) => d.messageId === assistantMessageId).map((d) => d.text).join('')).toBe(answer.content);
    expect(dones.events).toHaveLength(1);
    expect(dones.events[0]!.text).toBe(answer.content);
    const m = answer.metrics!;
    expect(m.provider).toBe('local');
    expect(m.completionTokens).toBeGreaterThan(1);
    // Batched: far fewer events than tokens (one per ~24 ms, not one per token).
    expect(deltas.events.length).toBeLessThan(m.completionTokens!);
    expect(m.ttftMs).toBeGreaterThan(0);
    expect(m.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(view.conversation.title).toBe('Once upon a time');
    expect(view.conversation.activeLeafId).toBe(assistantMessageId);
  });

  it('stop keeps the partial answer, marked stopped, saved in the database file', async () => {
    const c = chat.create({ modelRef: REF, params: { ...PARAMS, maxTokens: 2000 } });
    const off = bus.on('chat.delta', (d) => {
      if (d.conversationId === c.id) chat.stop(c.id);
    });
    const { assistantMessageId } = chat.send(c.id, 'Tell me a very long story');
    await chat.waitForIdle(c.id);
    off();
    using reader = Store.open({ path: dbPath });
    const saved = new MessageRepository(reader).get(assistantMessageId);
    expect(saved.status).toBe('stopped');
    expect(saved.content.length).toBeGreaterThan(0);
    expect(saved.metrics?.stopReason).toBe('aborted');
    expect(saved.metrics!.completionTokens!).toBeLessThan(2000);
  });

  it('saves streamed text while generating and marks an answer cut off by a crash as interrupted', async () => {
    const svc = newService({ persistEveryMs: 0 });
    const c = svc.create({ modelRef: REF, params: PARAMS });
    const seen: { status: string; length: number }[] = [];
    const messages = new MessageRepository(store);
    const off = bus.on('chat.delta', (d) => {
      if (d.conversationId !== c.id) return;
      const m = messages.get(d.messageId);
      seen.push({ status: m.status, length: m.content.length });
    });
    const { assistantMessageId } = svc.send(c.id, 'Once upon a time');
    await svc.waitForIdle(c.id);
    off();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.status).toBe('streaming');
    expect(seen[0]!.length).toBeGreaterThan(0);

    // Simulate a process that died mid-answer: the row is still 'streaming' when the next run starts.
    store.db.prepare("UPDATE messages SET status = 'streaming' WHERE id = ?").run(assistantMessageId);
    // Building the service touches nothing; the composition root's start() does the repair.
    const restarted = newService({}, { start: false });
    expect(messages.get(assistantMessageId).status).toBe('streaming');
    restarted.start();
    expect(messages.get(assistantMessageId).status).toBe('interrupted');
    expect(messages.get(assistantMessageId).content.length).toBeGreaterThan(0);
  });

  it('regenerate and edit create branches, and switchBranch moves between them', async () => {
    const c = chat.create({ modelRef: REF, params: { ...PARAMS, maxTokens: 8 } });
    const first = chat.send(c.id, 'Lily had a dog');
    await chat.waitForIdle(c.id);
    const second = chat.regenerate(c.id, first.assistantMessageId);
    await chat.waitForIdle(c.id);
    let view = chat.get(c.id);
    expect(view.path.map((m) => m.id)).toEqual([first.userMessageId, second.assistantMessageId]);
    expect(view.path[1]!.siblingIds).toEqual([first.assistantMessageId, second.assistantMessageId]);
    expect(view.path[1]!.siblingIndex).toBe(1);

    view = chat.switchBranch(c.id, first.assistantMessageId);
    expect(view.path.at(-1)!.id).toBe(first.assistantMessageId);
    expect(view.path.at(-1)!.siblingIndex).toBe(0);

    const edited = chat.edit(c.id, first.userMessageId!, 'Tom had a cat');
    await chat.waitForIdle(c.id);
    view = chat.get(c.id);
    expect(view.path.map((m) => m.id)).toEqual([edited.userMessageId, edited.assistantMessageId]);
    expect(view.path[0]!.content).toBe('Tom had a cat');
    expect(view.path[0]!.siblingIds).toEqual([first.userMessageId, edited.userMessageId]);

    // Back to the original question: its newest answer (the regenerated one) is shown.
    view = chat.switchBranch(c.id, first.userMessageId!);
    expect(view.path.map((m) => m.id)).toEqual([first.userMessageId, second.assistantMessageId]);
  });

  it('lists with search over titles and content, renames, deletes and restores', async () => {
    const a = chat.create({ title: 'Zebra facts', modelRef: REF, params: { ...PARAMS, maxTokens: 4 } });
    const b = chat.create({ modelRef: REF, params: { ...PARAMS, maxTokens: 4 } });
    chat.send(b.id, 'A question about aardvarks');
    await chat.waitForIdle(b.id);
    expect(chat.list('zebra').map((c) => c.id)).toEqual([a.id]);
    const byContent = chat.list('AARDVARK');
    expect(byContent.map((c) => c.id)).toEqual([b.id]);
    expect(byContent[0]!.snippet).toContain('aardvarks');
    expect(chat.list('100%_nothing')).toEqual([]);

    expect(chat.rename(a.id, 'Okapi facts').title).toBe('Okapi facts');
    expect(chat.list('okapi').map((c) => c.id)).toEqual([a.id]);

    chat.delete(a.id);
    expect(chat.list().map((c) => c.id)).not.toContain(a.id);
    expect(() => chat.get(a.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    chat.restore(a.id);
    expect(chat.list().map((c) => c.id)).toContain(a.id);
    expect(chat.get(a.id).conversation.title).toBe('Okapi facts');
  });

  it('refuses to send without a model or while an answer is being written', async () => {
    const none = chat.create({});
    expect(() => chat.send(none.id, 'hi')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    const c = chat.create({ modelRef: REF, params: { ...PARAMS, maxTokens: 8 } });
    chat.send(c.id, 'one');
    expect(() => chat.send(c.id, 'two')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await chat.waitForIdle(c.id);
  });

  it('a turn is one transaction: when a write fails nothing of it is stored', () => {
    const messages = new MessageRepository(store);
    // The last of the turn's writes (the shown leaf) fails, as a full disk would fail it.
    class LeafFails extends ConversationRepository {
      override update(...args: Parameters<ConversationRepository['update']>): ReturnType<ConversationRepository['update']> {
        if (args[1].activeLeafId !== undefined) throw new AppError('DISK_FULL', 'The disk is full.');
        return super.update(...args);
      }
    }
    const failing = new ChatService({ conversations: new LeafFails(store), messages, generation, bus, transaction: (fn) => store.transaction(fn) });
    const c = failing.create({ modelRef: REF, params: PARAMS });
    expect(() => failing.send(c.id, 'Once upon a time')).toThrow(expect.objectContaining({ code: 'DISK_FULL' }));
    // Before, the question, the new title and the answer's row stayed behind without a shown leaf.
    expect(messages.listByConversation(c.id)).toEqual([]);
    expect(failing.get(c.id).conversation).toMatchObject({ title: 'New conversation', activeLeafId: null });
    // No model chosen: refused before anything is written, the question included.
    const none = chat.create({});
    expect(() => chat.send(none.id, 'hi')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(messages.listByConversation(none.id)).toEqual([]);
  });

  it('a message longer than the context ends as an error naming both sizes, not as a silently cut answer', async () => {
    const c = chat.create({ modelRef: REF, params: { ...PARAMS, contextSize: 256 } });
    const { assistantMessageId } = chat.send(c.id, 'Once upon a time there was a little girl who liked to play in the park. '.repeat(40));
    await chat.waitForIdle(c.id);
    const answer = chat.get(c.id).path.find((m) => m.id === assistantMessageId)!;
    expect(answer.status).toBe('error');
    expect(answer.content).toBe('');
    expect(answer.metrics?.error?.code).toBe('PROMPT_TOO_LONG');
    expect(answer.metrics?.error?.message).toMatch(/The prompt is [\d,]+ tokens but .* context holds 256/);
  });
});
