import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, type ParityApp } from '../../src/main/app';
import type { EventPayload, RetrievalRecord } from '../../src/shared/contract';
import { writeDocx, writePdf } from '../helpers/docFixtures';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

function caller(app: ParityApp) {
  return async (route: string, input: unknown) => {
    const result = await app.router.handle(route, input, { transport: 'test' });
    if (!result.ok) throw Object.assign(new Error(`${route}: ${result.error.code} ${result.error.message}`), { code: result.error.code });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- route outputs are checked by the router; the test reads fields loosely
    return result.data as any;
  };
}

function nextDone(app: ParityApp): Promise<EventPayload<'chat.done'>> {
  return new Promise((resolve) => {
    const off = app.bus.on('chat.done', (p) => {
      off();
      resolve(p);
    });
  });
}

async function corpus(folder: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  await writePdf(join(folder, 'handbook.pdf'), [
    'Welcome\nThis handbook describes how the office works.',
    'Holidays\nEvery employee receives 27 days of paid leave per year.',
    'Equipment\nLaptops are replaced every four years.',
  ]);
  await writeDocx(join(folder, 'security.docx'), [{ heading: 'Visitors', paragraphs: ['Visitors sign in at reception and wear a red badge.'] }]);
}

describe('asking a collection in chat', () => {
  it('puts numbered passages in the prompt of a local model and keeps what the model saw with the answer', async () => {
    using dir = tempDir('parity-docs-chat-');
    await using app = createApp({ dataDir: join(dir.path, 'data'), mode: 'cli', gpu: false, integrityCheck: false });
    const call = caller(app);
    await corpus(join(dir.path, 'docs'));
    await call('docs.collections.create', { name: 'Office' });
    await call('docs.add', { collection: 'Office', paths: [join(dir.path, 'docs')], wait: true });
    const imported = await call('models.import', { path: STORIES_MODEL, mode: 'link' });
    const conv = await call('chat.conversations.create', { modelRef: `local:${imported.model.id}`, systemPrompt: 'Be brief.', params: { maxTokens: 8, threads: 1, temperature: 0 } });
    expect(await call('docs.chat.get', { conversationId: conv.id })).toEqual({ conversationId: conv.id, collections: [], remoteConfirmedAt: null });
    expect(await call('docs.chat.set', { conversationId: conv.id, collections: ['office'] })).toMatchObject({ collections: ['Office'] });

    const retrieved: RetrievalRecord[] = [];
    app.bus.on('docs.retrieved', (r) => retrieved.push(r));
    const done = nextDone(app);
    const sent = await call('chat.send', { conversationId: conv.id, text: 'How many days of paid leave do employees get?' });
    expect((await done).status).toBe('complete');

    const { retrieval } = (await call('docs.retrievals.get', { messageId: sent.assistantMessageId })) as { retrieval: RetrievalRecord };
    expect(retrieval).toMatchObject({ messageId: sent.assistantMessageId, collections: ['Office'], remote: false, mode: 'keyword' });
    expect(retrieval.note).toMatch(/no embedding model/);
    expect(retrieval.passages[0]).toMatchObject({ n: 1, fileName: 'handbook.pdf', page: 2, collection: 'Office' });
    expect(retrieval.passages.map((p) => p.n)).toEqual(retrieval.passages.map((_, i) => i + 1));
    // The system prompt keeps the user's own text, then the instructions and the numbered passages.
    expect(retrieval.prompt[0]!.role).toBe('system');
    expect(retrieval.prompt[0]!.content).toMatch(/^Be brief\.\n\nAnswer from the numbered passages/);
    expect(retrieval.prompt[0]!.content).toContain('[1] handbook.pdf, page 2\nHolidays\nEvery employee receives 27 days of paid leave per year.');
    expect(retrieval.prompt.at(-1)).toEqual({ role: 'user', content: 'How many days of paid leave do employees get?' });
    expect(retrieved).toEqual([retrieval]);
    // A local model: nothing about the passages goes to the audit log.
    const audit = await call('audit.list', { limit: 50 });
    expect(audit.rows.filter((r: { purpose: string }) => r.purpose === 'documents')).toEqual([]);

    // Detached: the next answer sees the plain history and no record is kept.
    await call('docs.chat.set', { conversationId: conv.id, collections: [] });
    const done2 = nextDone(app);
    const second = await call('chat.send', { conversationId: conv.id, text: 'And laptops?' });
    await done2;
    expect((await call('docs.retrievals.get', { messageId: second.assistantMessageId })).retrieval).toBeNull();
    await expect(call('docs.chat.set', { conversationId: 'no-such-conversation', collections: ['Office'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('docs.chat.set', { conversationId: conv.id, collections: ['Nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 60_000);

  it('a remote model gets no passages until the conversation confirms it, then the audit log records the chunk ids and bytes', async () => {
    using dir = tempDir('parity-docs-chat-');
    await using app = createApp({ dataDir: join(dir.path, 'data'), mode: 'cli', gpu: false, integrityCheck: false, remote: { offline: true } });
    const call = caller(app);
    await corpus(join(dir.path, 'docs'));
    await call('docs.collections.create', { name: 'Office' });
    await call('docs.add', { collection: 'Office', paths: [join(dir.path, 'docs')], wait: true });
    const conv = await call('chat.conversations.create', { modelRef: 'openai:gpt-4o-mini' });
    await call('docs.chat.set', { conversationId: conv.id, collections: ['Office'] });

    const done = nextDone(app);
    const sent = await call('chat.send', { conversationId: conv.id, text: 'Where do visitors sign in?' });
    const refused = await done;
    expect(refused.status).toBe('error');
    expect(refused.metrics.error).toMatchObject({ code: 'POLICY_BLOCKED', message: expect.stringMatching(/Allow that for this conversation first.*Nothing was sent/) });
    expect((await call('docs.retrievals.get', { messageId: sent.assistantMessageId })).retrieval).toBeNull();
    const before = await call('audit.list', { limit: 50 });
    expect(before.rows.filter((r: { purpose: string }) => r.purpose === 'documents')).toEqual([]);

    const confirmed = await call('docs.chat.confirmRemote', { conversationId: conv.id });
    expect(confirmed.remoteConfirmedAt).toEqual(expect.any(String));
    const done2 = nextDone(app);
    const second = await call('chat.send', { conversationId: conv.id, text: 'Where do visitors sign in?' });
    await done2;
    const { retrieval } = (await call('docs.retrievals.get', { messageId: second.assistantMessageId })) as { retrieval: RetrievalRecord };
    expect(retrieval).toMatchObject({ remote: true });
    expect(retrieval.passages[0]).toMatchObject({ fileName: 'security.docx', heading: 'Visitors' });
    const rows = (await call('audit.list', { limit: 50 })).rows.filter((r: { purpose: string }) => r.purpose === 'documents');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ provider: 'openai', model: 'openai:gpt-4o-mini', status: 'included' });
    const sentIds = JSON.parse(rows[0].promptText) as { chunkIds: number[]; collections: string[] };
    expect(sentIds).toMatchObject({ collections: ['Office'], chunkIds: retrieval.passages.map((p) => p.chunkId) });
    expect(rows[0].bytesSent).toBeGreaterThan(retrieval.passages[0]!.text.length);
  }, 60_000);
});
