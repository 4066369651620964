import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { providerHarness } from '../helpers/fakeProviders/providerApp';
import { CORPUS, corpusValues, leaks, REDACT_ALL } from '../helpers/leakCorpus';
import { routeCaller } from '../helpers/routes';
import { tempDir } from '../helpers/tmp';

describe('leak test, documents path: passages from a collection are screened like the typed message', () => {
  it('a remote chat answering from a collection full of detectable values sends none of them', async () => {
    using dir = tempDir();
    const policyFile = join(dir.path, 'policy.yaml');
    writeFileSync(policyFile, REDACT_ALL);
    mkdirSync(join(dir.path, 'docs'));
    writeFileSync(join(dir.path, 'docs', 'customers.md'), `# Customer records\n\n${CORPUS.join('\n\n')}\n`);
    await using h = await providerHarness({ env: { PARITY_POLICY_FILE: policyFile } });
    const call = routeCaller(h.app);
    await call('docs.collections.create', { name: 'Customers' });
    await call('docs.add', { collection: 'Customers', paths: [join(dir.path, 'docs')], wait: true });
    const conv = await call('chat.conversations.create', { modelRef: h.ref('openai') });
    await call('docs.chat.set', { conversationId: conv.id, collections: ['Customers'] });
    await call('docs.chat.confirmRemote', { conversationId: conv.id });

    const done = new Promise<EventPayload<'chat.done'>>((resolve) => {
      const off = h.app.bus.on('chat.done', (p) => p.conversationId === conv.id && (off(), resolve(p)));
    });
    const sent = await call('chat.send', { conversationId: conv.id, text: 'Which customer records mention Jane Doe, the card, the deploy key and the private key?' });
    expect((await done).status).toBe('complete');
    // The passages did go to the model (so the check below is about them), with placeholders.
    const retrieval = (await call('docs.retrievals.get', { messageId: sent.assistantMessageId })).retrieval;
    expect(retrieval?.passages.length).toBeGreaterThan(0);
    const body = h.servers.openai.generationRequests[0]!.body;
    expect(body).toContain('Customer records');
    expect(body).toMatch(/\[(EMAIL|PHONE|IBAN|CARD|SECRET)_1\]/);
    expect(leaks(h.servers.openai.requests, corpusValues())).toEqual([]);
    expect((await call('audit.verify', {})).ok).toBe(true);
  }, 60_000);
});
