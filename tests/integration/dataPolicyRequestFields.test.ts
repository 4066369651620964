import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, GenerationParams } from '../../src/shared/domain/generation';
import { isAppError } from '../../src/shared/errors';
import type { Wire } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { leaks } from '../helpers/leakCorpus';
import { routeCaller } from '../helpers/routes';
import { tempDir } from '../helpers/tmp';

/**
 * The data policy screens every user-written string of a request, not only the message text:
 * tool names, descriptions and parameter schemas, the response schema, stop sequences and the
 * tool calls and results of earlier turns. Each wire's fake server shows what actually left.
 */
const WIRES: Wire[] = ['openai', 'anthropic', 'google', 'compat'];
const EMAIL = 'jane.doe@example.com';
const OTHER_EMAIL = 'ops@example.org';
const IBAN = 'DE89 3704 0044 0532 0130 00';
const SECRET = 'sk-proj-Zx81Qw27Er63Ty45Ui09Op';
const POLICY = ['custom:', '  project: { terms: [Falcon] }', 'providers:', '  "*": { email: redact, project: redact, iban: block, secret: block }', ''].join('\n');
const ASK: ChatMessage[] = [{ role: 'user', content: 'Who should hear about it?' }];

function harness(dir: string, options: Parameters<typeof providerHarness>[0] = {}): Promise<ProviderHarness> {
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY);
  return providerHarness({ ...options, env: { PARITY_POLICY_FILE: policyFile } });
}

/** The policy decisions on the audit log, oldest first. */
async function policyRows(h: ProviderHarness): Promise<string[]> {
  const audit = await routeCaller(h.app)('audit.list', { limit: 100 });
  return audit.rows.filter((r) => r.purpose === 'policy').map((r) => r.status).reverse();
}

async function refusal(h: ProviderHarness, wire: Wire, messages: ChatMessage[], params: GenerationParams): Promise<string> {
  const error = await collect(h.app.generation.stream(h.ref(wire), messages, params)).catch((e: unknown) => e);
  expect(isAppError(error) && error.code, wire).toBe('POLICY_BLOCKED');
  return (error as Error).message;
}

describe('data policy on tools, response schemas, stop sequences and tool turns', () => {
  it.each(WIRES)('%s: a blocked value anywhere in the request sends nothing; the refusal and the audit name counts, never values', async (wire) => {
    using dir = tempDir();
    await using h = await harness(dir.path);
    const described: GenerationParams = { tools: [{ name: 'pay', description: `Pays into ${IBAN}`, parameters: { type: 'object', properties: {} } }] };
    expect(await refusal(h, wire, ASK, described)).toBe('blocked by data policy: 1 IBAN');
    const schema: GenerationParams = { responseFormat: { jsonSchema: { type: 'object', properties: { key: { type: 'string', description: `always ${SECRET}` } } }, name: 'creds' } };
    expect(await refusal(h, wire, ASK, schema)).toBe('blocked by data policy: 1 SECRET');
    const nested: GenerationParams = { tools: [{ name: 'pay', parameters: { type: 'object', properties: { account: { type: 'string', enum: [IBAN] } } } }] };
    expect(await refusal(h, wire, ASK, nested)).toBe('blocked by data policy: 1 IBAN');
    expect(await refusal(h, wire, ASK, { stop: [`${SECRET}`] })).toBe('blocked by data policy: 1 SECRET');
    // An earlier turn's tool call and the result given back go out with the history.
    const turn: ChatMessage[] = [
      ...ASK,
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { who: 'the payer' }, rawArguments: '{"who":"the payer"}', result: { account: IBAN } }] },
    ];
    expect(await refusal(h, wire, turn, { tools: [{ name: 'lookup', parameters: { type: 'object', properties: { who: { type: 'string' } } } }] })).toBe('blocked by data policy: 1 IBAN');
    // A name must follow the provider's name rule, so a placeholder cannot replace a value there: refused, not sent.
    const named: GenerationParams = { tools: [{ name: 'Falcon-lookup', parameters: { type: 'object', properties: {} } }], toolChoice: { name: 'Falcon-lookup' } };
    expect(await refusal(h, wire, ASK, named)).toBe('blocked by data policy: 1 PROJECT in a tool or schema name, which cannot be redacted (rename it)');

    expect(h.servers[wire].generationRequests).toHaveLength(0);
    const rows = await policyRows(h);
    expect(rows).toEqual([
      'policy:blocked iban:block=1 in=tools',
      'policy:blocked secret:block=1 in=response-format',
      'policy:blocked iban:block=1 in=tools',
      'policy:blocked secret:block=1 in=stop',
      'policy:blocked iban:block=1',
      'policy:blocked project:redact=1 in=tools',
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/DE89|sk-proj|Falcon/);
  });

  it.each(WIRES)('%s: redacted tool definitions and stop sequences reach the server as placeholders; the tool call comes back with the real values', async (wire) => {
    const toolCalls = [{ id: 'call_7', name: 'notify', arguments: '{"to":"[EMAIL_1]","note":"[PROJECT_1] is late"}' }];
    using dir = tempDir();
    await using h = await harness(dir.path, { server: { reply: { chunks: [], toolCalls, usage: { input: 30, output: 9 } } } });
    const params: GenerationParams = {
      tools: [
        {
          name: 'notify',
          description: `Mail ${EMAIL} about Falcon`,
          parameters: { type: 'object', properties: { to: { type: 'string', enum: [EMAIL, OTHER_EMAIL] }, note: { type: 'string' } }, required: ['to'] },
        },
      ],
      toolChoice: 'required',
      stop: ['Falcon'],
    };
    const { done } = await collect(h.app.generation.stream(h.ref(wire), ASK, params));
    expect(done.metrics.error).toBeNull();
    expect(done.metrics.toolCalls).toHaveLength(1);
    expect(done.metrics.toolCalls![0]).toMatchObject({ name: 'notify', arguments: { to: EMAIL, note: 'Falcon is late' } });
    expect(JSON.parse(done.metrics.toolCalls![0]!.rawArguments)).toEqual({ to: EMAIL, note: 'Falcon is late' });
    expect(done.metrics.policy).toEqual({ outcome: 'redacted', findings: [{ detector: 'email', action: 'redact', count: 3 }, { detector: 'project', action: 'redact', count: 2 }] });

    const sent = h.servers[wire].generationRequests;
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body;
    expect(body).toContain('Mail [EMAIL_1] about [PROJECT_1]');
    expect(body).toContain('[EMAIL_2]');
    expect(leaks(h.servers[wire].requests, [EMAIL, OTHER_EMAIL, 'Falcon'])).toEqual([]);
    expect(await policyRows(h)).toEqual(['policy:redacted email:redact=3 project:redact=2 in=tools,stop']);
  });

  it.each(WIRES)('%s: a response schema is redacted, property names included, and the JSON answer reads with the real names and values', async (wire) => {
    using dir = tempDir();
    await using h = await harness(dir.path, { server: { reply: { chunks: ['{"[PROJECT_1]":', ' "[EMAIL_1]"}'], usage: { input: 20, output: 7 } } } });
    const jsonSchema = { type: 'object', properties: { Falcon: { type: 'string', description: `owner, e.g. ${EMAIL}` } }, required: ['Falcon'], additionalProperties: false };
    const { done } = await collect(h.app.generation.stream(h.ref(wire), ASK, { responseFormat: { jsonSchema, name: 'owner' } }));
    expect(JSON.parse(done.text)).toEqual({ Falcon: EMAIL });
    const body = h.servers[wire].generationRequests[0]!.body;
    expect(body).toContain('[PROJECT_1]');
    expect(body).toContain('owner, e.g. [EMAIL_1]');
    expect(leaks(h.servers[wire].requests, [EMAIL, 'Falcon'])).toEqual([]);
    expect(await policyRows(h)).toEqual(['policy:redacted email:redact=1 project:redact=2 in=response-format']);
  });
});
