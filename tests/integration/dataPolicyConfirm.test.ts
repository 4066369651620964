import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { collect, providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';
import { tempDir } from '../helpers/tmp';

const SSN = '123-45-6789';

describe('warn: chat asks once per message, everything else sends with a note', () => {
  it('a chat message tripping a warn rule is not sent until the user confirms; confirming sends it as written', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'policy.yaml');
    writeFileSync(file, 'providers: { "*": { ssn: warn } }\n');
    await using h = await providerHarness({ env: { PARITY_POLICY_FILE: file } });
    const call = routeCaller(h.app);
    const conv = await call('chat.conversations.create', { modelRef: h.ref('openai') });
    const next = () =>
      new Promise<EventPayload<'chat.done'>>((resolve) => {
        const off = h.app.bus.on('chat.done', (p) => p.conversationId === conv.id && (off(), resolve(p)));
      });
    const idle = async () => {
      while ((await call('chat.conversations.get', { id: conv.id })).generating) await new Promise((r) => setTimeout(r, 5));
    };

    let done = next();
    const sent = await call('chat.send', { conversationId: conv.id, text: `Check SSN ${SSN}` });
    const asked = await done;
    expect(asked.status).toBe('error');
    expect(asked.metrics.error).toEqual({ code: 'POLICY_CONFIRM', message: 'data policy: this message contains 1 SSN. Send it to openai as written? Nothing was sent.' });
    expect(h.servers.openai.requests).toHaveLength(0);
    await idle();

    done = next();
    await call('chat.regenerate', { conversationId: conv.id, messageId: sent.assistantMessageId, confirmPolicy: true });
    const answered = await done;
    expect(answered.status).toBe('complete');
    expect(answered.metrics.policy).toEqual({ outcome: 'warned', findings: [{ detector: 'ssn', action: 'warn', count: 1 }] });
    expect(h.servers.openai.generationRequests).toHaveLength(1);
    expect(h.servers.openai.generationRequests[0]!.body).toContain(SSN);
    await idle();

    // Other paths have no one to ask: they send, and the note is on the record and in the metrics.
    const direct = await collect(h.app.generation.stream(h.ref('anthropic'), [{ role: 'user', content: `SSN ${SSN}` }], {}));
    expect(direct.done.metrics.policy?.outcome).toBe('warned');
    const statuses = (await call('audit.list', { limit: 20 })).rows.filter((r) => r.purpose === 'policy').map((r) => r.status);
    expect(statuses).toEqual(['policy:warned ssn:warn=1', 'policy:warned ssn:warn=1', 'policy:asked ssn:warn=1']);
    expect((await call('audit.verify', {})).ok).toBe(true);
  });
});
