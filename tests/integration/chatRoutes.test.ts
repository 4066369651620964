import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import type { EventPayload } from '../../src/shared/contract';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

describe('chat.* and engine.* routes through the app router', () => {
  it('send returns the message ids before the answer is done; engine routes report, load and unload', async () => {
    using dir = tempDir();
    await using app = createApp({ dataDir: dir.path, mode: 'cli', gpu: false });
    const call = async (route: string, input: unknown) => {
      const result = await app.router.handle(route, input, { transport: 'test' });
      if (!result.ok) throw new Error(`${route}: ${result.error.code} ${result.error.message}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- route outputs are checked by the router; the test reads fields loosely
      return result.data as any;
    };
    const imported = await call('models.import', { path: STORIES_MODEL, mode: 'link' });
    const modelRef = `local:${imported.model.id}`;
    const conv = await call('chat.conversations.create', { modelRef, params: { maxTokens: 16, threads: 1, temperature: 0 } });

    const done = new Promise<EventPayload<'chat.done'>>((resolve) => {
      const off = app.bus.on('chat.done', (p) => {
        off();
        resolve(p);
      });
    });
    const sent = await call('chat.send', { conversationId: conv.id, text: 'Once upon a time' });
    expect(sent.userMessageId).toEqual(expect.any(String));
    // Returned before chat.done: the answer is still streaming.
    expect((await call('chat.conversations.get', { id: conv.id })).generating).toBe(true);
    const final = await done;
    expect(final.messageId).toBe(sent.assistantMessageId);
    expect(final.status).toBe('complete');
    expect(final.metrics.costUsd).not.toBeUndefined();

    const status = await call('engine.status', {});
    expect(status.backend).toBe('cpu');
    expect(status.loaded.map((m: { id: string }) => m.id)).toEqual([imported.model.id]);
    expect(await call('engine.unload', { model: modelRef })).toEqual({ unloaded: true });
    expect((await call('engine.status', {})).loaded).toEqual([]);

    const progress: number[] = [];
    const off = app.bus.on('engine.loadProgress', (p) => progress.push(p.progress));
    const loaded = await call('engine.load', { model: modelRef });
    off();
    expect(loaded.id).toBe(imported.model.id);
    expect(loaded.loadMs).toBeGreaterThan(0);
    expect(progress.every((p) => p >= 0 && p <= 1)).toBe(true);

    const bad = await app.router.handle('chat.send', { conversationId: 'nope', text: 'hi' }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
