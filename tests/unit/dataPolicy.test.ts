import { afterAll, describe, expect, it } from 'vitest';
import { DataPolicyService, policyAuditStatus } from '../../src/main/core/policy/DataPolicyService';
import { parsePolicy, parsePolicyYaml } from '../../src/main/core/policy/loadPolicyFile';
import { PlaceholderRestorer } from '../../src/main/core/policy/PlaceholderRestorer';
import { BudgetLedger } from '../../src/main/core/policy/BudgetLedger';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { rulesFor, type DataPolicy } from '../../src/shared/domain/dataPolicy';
import { isAppError } from '../../src/shared/errors';

const sandbox = new ScriptSandbox({ timeoutMs: 300 });
afterAll(() => sandbox.dispose());

function service(yaml: string): DataPolicyService {
  return new DataPolicyService({ file: { path: 'p.yaml', policy: parsePolicyYaml(yaml, 'p.yaml') }, sandbox });
}

const user = (content: string) => ({ role: 'user' as const, content });

describe('policy file: YAML and validation', () => {
  it('reads the issue example: per provider, with * for every provider', () => {
    const policy = parsePolicyYaml('providers: { openai: { email: redact, iban: block }, "*": { secret: block } }', 'p.yaml');
    expect(rulesFor(policy, 'openai:gpt-4o-mini')).toEqual({ secret: 'block', email: 'redact', iban: 'block' });
    expect(rulesFor(policy, 'anthropic:claude-sonnet-4-5')).toEqual({ secret: 'block' });
  });

  it('a model entry beats its endpoint, which beats its provider, which beats *', () => {
    const policy = parsePolicy(
      {
        providers: { '*': { email: 'block', phone: 'warn' }, compat: { email: 'redact' }, 'compat:groq': { email: 'warn' } },
        models: { 'compat:groq/llama-3.1-8b': { email: 'allow' } },
      },
      'test',
    );
    expect(rulesFor(policy, 'compat:ollama/qwen')).toEqual({ email: 'redact', phone: 'warn' });
    expect(rulesFor(policy, 'compat:groq/mixtral')).toEqual({ email: 'warn', phone: 'warn' });
    expect(rulesFor(policy, 'compat:groq/llama-3.1-8b')).toEqual({ email: 'allow', phone: 'warn' });
  });

  it.each([
    ['providers: { openai: { emial: redact } }', /providers\.openai\.emial: unknown detector "emial" \(known: email, phone/],
    ['providers: { openai: { email: hide } }', /providers\.openai\.email: must be one of allow, warn, redact, local, block/],
    ['custom: { email: { terms: [x] } }', /custom\.email: "email" is a built-in detector/],
    ['custom: { Client: { terms: [x] } }', /custom\.Client: a detector name is lower-case/],
    ['custom: { ticket: { regex: "x", flags: g } }', /custom\.ticket\.flags: flags may only be i, m, s, u|custom\.ticket/],
    ['models: { gpt-4o: { email: block } }', /models\.gpt-4o: a model is written provider:model/],
    ['provider: { openai: { email: block } }', /\(top level\).*provider|provider/],
    ['providers: [openai', /is not valid YAML/],
    ['routes: { a: [route:b] }', /routes\.a\.0: a route cannot contain another route/],
    ['routes: { a: [gpt-4o] }', /routes\.a\.0: "gpt-4o" is not a model/],
    ['routes: { a: [] }', /routes\.a: a route lists at least one model/],
    ['budgets: { openai: {} }', /budgets\.openai: give dailyUsd, monthlyUsd or both/],
  ])('%s is refused, naming where the problem is', (yaml, message) => {
    let error: unknown;
    try {
      parsePolicyYaml(yaml, 'The data policy file /tmp/p.yaml');
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('POLICY_INVALID');
    expect((error as Error).message).toContain('/tmp/p.yaml');
    expect((error as Error).message).toMatch(message);
  });

  it('an empty file is an empty policy (everything allowed)', () => {
    expect(parsePolicyYaml('', 'p.yaml')).toEqual({ custom: {}, providers: {}, models: {}, routes: {}, budgets: {}, evalBypass: false } satisfies DataPolicy);
  });
});

describe('screening', () => {
  it('redacts each value to a stable placeholder, the same value to the same one across messages', async () => {
    const policy = service('providers: { openai: { email: redact, phone: redact } }');
    const s = await policy.screen('openai:gpt-4o-mini', [
      { role: 'system', content: 'Support for jane@example.com' },
      user('Mail jane@example.com and bob@example.org, or call +44 20 7946 0958.'),
    ]);
    expect(s.outcome).toBe('redacted');
    expect(s.messages.map((m) => m.content)).toEqual(['Support for [EMAIL_1]', 'Mail [EMAIL_1] and [EMAIL_2], or call [PHONE_1].']);
    expect(Object.fromEntries(s.originals)).toEqual({ '[EMAIL_1]': 'jane@example.com', '[EMAIL_2]': 'bob@example.org', '[PHONE_1]': '+44 20 7946 0958' });
    expect(s.findings).toEqual([
      { detector: 'email', action: 'redact', count: 3 },
      { detector: 'phone', action: 'redact', count: 1 },
    ]);
  });

  it('blocks naming the detector and the count, never the value', async () => {
    const policy = service('providers: { openai: { email: redact, iban: block } }');
    const s = await policy.screen('openai:gpt-4o-mini', [user('Pay DE89 3704 0044 0532 0130 00 and mail jane@example.com')]);
    expect(s.outcome).toBe('blocked');
    expect(s.refusal).toBe('blocked by data policy: 1 IBAN');
    expect(policyAuditStatus(s)).toBe('policy:blocked iban:block=1 email:redact=1');
    expect(JSON.stringify(s.findings)).not.toContain('DE89');
  });

  it('another provider, no rule: nothing is run and nothing changes', async () => {
    const policy = service('providers: { openai: { email: redact } }');
    const messages = [user('jane@example.com')];
    const s = await policy.screen('anthropic:claude-sonnet-4-5', messages);
    expect(s).toMatchObject({ outcome: 'clear', findings: [], messages });
  });

  it('warn sends the text unchanged and reports what it saw', async () => {
    const s = await service('providers: { "*": { ssn: warn } }').screen('google:gemini-2.5-flash', [user('SSN 123-45-6789')]);
    expect(s.outcome).toBe('warned');
    expect(s.messages[0]!.content).toBe('SSN 123-45-6789');
    expect(policyAuditStatus(s)).toBe('policy:warned ssn:warn=1');
  });

  it('a custom detector may have the name of an object property', async () => {
    const s = await service('custom: { constructor: { terms: [Falcon] } }\nproviders: { "*": { constructor: redact } }').screen('openai:gpt-4o-mini', [user('Project Falcon')]);
    expect(s.messages[0]!.content).toBe('Project [CONSTRUCTOR_1]');
  });

  it('custom terms and sandboxed regexes are detectors like the others', async () => {
    const policy = service(['custom:', '  client: { terms: [Acme Corp] }', '  ticket: { regex: "TCK-\\\\d{4,}", flags: i }', 'providers:', '  "*": { client: redact, ticket: block }'].join('\n'));
    const redacted = await policy.screen('openai:gpt-4o-mini', [user('Acme Corp renews')]);
    expect(redacted.messages[0]!.content).toBe('[CLIENT_1] renews');
    const blocked = await policy.screen('openai:gpt-4o-mini', [user('Acme Corp: see tck-20931')]);
    expect(blocked.refusal).toBe('blocked by data policy: 1 TICKET');
  });
});

describe('placeholder restoring in a stream', () => {
  const originals = new Map([
    ['[EMAIL_1]', 'jane@example.com'],
    ['[EMAIL_12]', 'x@example.com'],
  ]);

  it('a placeholder split across deltas comes out whole, and the joined deltas equal the restored text', () => {
    const deltas = ['Write to [', 'EMA', 'IL_1', '] or [EMAIL_1', '2]. A [note] and [EMAIL_', '3] stay. [EMAIL_1'];
    const r = new PlaceholderRestorer(originals);
    const out = deltas.map((d) => r.push(d));
    out.push(r.flush());
    expect(out.join('')).toBe('Write to jane@example.com or x@example.com. A [note] and [EMAIL_3] stay. jane@example.com'.replace(/jane@example.com$/, '[EMAIL_1'));
    expect(out.join('')).toBe(PlaceholderRestorer.restore(originals, deltas.join('')));
    // Nothing that could still be a placeholder is shown early...
    expect(out[1]).toBe('');
    // ...and ordinary text is not held back.
    expect(out[0]).toBe('Write to ');
  });
});

describe('budgets', () => {
  it('count what each endpoint cost today (UTC) and this month, from token counts and prices', () => {
    const rows = [
      { since: '2026-11-01T00:00:00.000Z', provider: 'openai', model: 'gpt-4o-mini', inputTokens: 4_000_000, outputTokens: 0 },
      { since: '2026-11-26T00:00:00.000Z', provider: 'openai', model: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 0 },
      { since: '2026-11-26T00:00:00.000Z', provider: 'compat:groq', model: 'groq/llama', inputTokens: 9_000_000, outputTokens: 0 },
    ];
    const ledger = new BudgetLedger({
      // What the audit log would sum for each window: the month includes today.
      usage: { generationUsageSince: (time) => rows.filter((r) => r.since >= time || time.startsWith('2026-11-01')).map(({ since: _since, ...r }) => r) },
      prices: { cost: (ref, u) => (ref === 'openai:gpt-4o-mini' ? (u.promptTokens! * 1) / 1e6 : null) },
      budget: (endpoint) => (endpoint === 'openai' ? { dailyUsd: 2, monthlyUsd: 5 } : null),
      now: () => new Date('2026-11-26T12:00:00Z'),
    });
    expect(ledger.stateFor('openai')).toMatchObject({ dailyUsd: 1, monthlyUsd: 5, exhausted: 'monthly', summary: 'daily $1.00 of $2.00, monthly $5.00 of $5.00' });
    expect(ledger.stateFor('compat:groq')).toBeNull();
  });
});
