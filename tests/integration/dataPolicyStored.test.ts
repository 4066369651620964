import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteInput, RouteName } from '../../src/shared/contract';
import { isAppError } from '../../src/shared/errors';
import { collect, providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

const EMAIL = 'jane.doe@example.com';

function route(h: ProviderHarness) {
  return <K extends RouteName>(name: K, input: RouteInput<K>) => h.app.router.handle(name, input, { transport: 'test' });
}

describe('the stored data policy (Settings → Data policy)', () => {
  it('is empty at first, is replaced only by a valid policy, and applies to the next request', async () => {
    await using h = await providerHarness();
    const call = route(h);
    expect(await call('policy.get', {})).toMatchObject({ ok: true, data: { source: 'stored', yaml: '', error: null, policy: { providers: {} } } });

    const bad = await call('policy.set', { yaml: 'providers:\n  openai: { email: hide }\n' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'POLICY_INVALID', details: { issues: [{ path: 'providers.openai.email' }] } } });
    // Nothing was stored: the message still goes out as written.
    await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: `Mail ${EMAIL}` }], {}));
    expect(h.servers.openai.generationRequests[0]!.body).toContain(EMAIL);

    const yaml = '# kept as written\nproviders:\n  openai: { email: redact }\n';
    expect(await call('policy.set', { yaml })).toMatchObject({ ok: true, data: { yaml, policy: { providers: { openai: { email: 'redact' } } } } });
    await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: `Mail ${EMAIL}` }], {}));
    expect(h.servers.openai.generationRequests[1]!.body).toContain('Mail [EMAIL_1]');
    expect(h.servers.openai.generationRequests[1]!.body).not.toContain(EMAIL);

    const preview = await call('policy.preview', { ref: 'openai:gpt-4o-mini', text: `to ${EMAIL}`, yaml: 'providers: { "*": { email: block } }' });
    expect(preview).toMatchObject({ ok: true, data: { outcome: 'blocked', sent: null, refusal: 'blocked by data policy: 1 EMAIL' } });
    // A local model is never screened: nothing leaves.
    expect(await call('policy.preview', { ref: 'local:abc', text: `to ${EMAIL}`, yaml: 'providers: { "*": { email: block } }' })).toMatchObject({ ok: true, data: { outcome: 'clear', sent: `to ${EMAIL}` } });
    const inForce = await call('policy.preview', { ref: 'openai:gpt-4o-mini', text: `to ${EMAIL}` });
    expect(inForce).toMatchObject({ ok: true, data: { outcome: 'redacted', sent: 'to [EMAIL_1]', findings: [{ detector: 'email', action: 'redact', count: 1 }] } });
  });

  it('a stored policy broken by hand refuses remote requests (nothing sent) until it is fixed', async () => {
    await using h = await providerHarness();
    writeFileSync(join(h.dataDir, 'data-policy.yaml'), 'providers: { openai: [email] }\n');
    const error = await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: 'hello' }], {})).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('POLICY_INVALID');
    expect((error as Error).message).toContain('data-policy.yaml is invalid: providers.openai');
    expect(h.servers.openai.requests).toHaveLength(0);
    expect(await route(h)('policy.get', {})).toMatchObject({ ok: true, data: { error: expect.stringContaining('providers.openai') } });
    expect((await route(h)('policy.set', { yaml: 'providers: {}' })).ok).toBe(true);
    const { done } = await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: 'hello' }], {}));
    expect(done.text).toBe('Hello, world!');
  });

  it('a policy saved by another process sharing the data folder applies to the next request', async () => {
    await using h = await providerHarness();
    await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: `Mail ${EMAIL}` }], {}));
    writeFileSync(join(h.dataDir, 'data-policy.yaml'), 'providers: { openai: { email: redact } }\n');
    await collect(h.app.generation.stream(h.ref('openai'), [{ role: 'user', content: `Mail ${EMAIL}` }], {}));
    expect(h.servers.openai.generationRequests.map((r) => r.body.includes(EMAIL))).toEqual([true, false]);
  });

  it('a data folder that cannot be written keeps the policy in force and says why', async () => {
    await using h = await providerHarness();
    expect((await route(h)('policy.set', { yaml: 'providers: { openai: { email: redact } }\n' })).ok).toBe(true);
    // A folder where the policy file should be: the rename fails like a read-only folder would.
    const blocker = join(h.dataDir, 'data-policy.yaml.tmp');
    mkdirSync(blocker);
    const refused = await route(h)('policy.set', { yaml: 'providers: {}\n' });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('Cannot save the data policy') } });
    expect(await route(h)('policy.get', {})).toMatchObject({ ok: true, data: { policy: { providers: { openai: { email: 'redact' } } } } });
    rmSync(blocker, { recursive: true });
  });

  it('with a --policy file in force, Settings shows it and cannot change it', async () => {
    using dir = tempDir();
    const file = join(dir.path, 'p.yaml');
    writeFileSync(file, 'providers: { "*": { iban: block } }\n');
    await using h = await providerHarness({ env: { PARITY_POLICY_FILE: file } });
    expect(await route(h)('policy.get', {})).toMatchObject({ ok: true, data: { source: 'file', path: file, policy: { providers: { '*': { iban: 'block' } } } } });
    expect(await route(h)('policy.set', { yaml: '' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
