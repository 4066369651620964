import { afterAll, describe, expect, it } from 'vitest';
import type { AuditLog, AuditRecord } from '../../src/main/core/audit/AuditLog';
import { EgressGateway } from '../../src/main/core/egress/EgressGateway';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { DataPolicyService } from '../../src/main/core/policy/DataPolicyService';
import { parsePolicyYaml } from '../../src/main/core/policy/loadPolicyFile';
import type { ModelProvider, StreamEvent, StreamRequest } from '../../src/main/core/providers/ModelProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { emptyMetrics } from '../../src/shared/domain/generation';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

/** A remote provider that answers with placeholders, in split deltas and in a tool call, and keeps what it was sent. */
class PlaceholderEcho implements ModelProvider {
  readonly id = 'openai';
  readonly capabilities = { local: false, streaming: true, listModels: false, seed: false, defaultConcurrency: 1 };
  readonly received: StreamRequest[] = [];
  async listModels() {
    return [];
  }
  destination(): string {
    return 'api.example.com';
  }
  async *stream(request: StreamRequest): AsyncIterable<StreamEvent> {
    this.received.push(request);
    for (const text of ['Sending to [CLI', 'ENT_1] at [EMAIL_', '1].']) yield { type: 'delta', text };
    const toolCalls = [{ id: 'c1', name: 'send', arguments: { to: '[EMAIL_1]', org: ['[CLIENT_1]'] }, rawArguments: '{"to":"[EMAIL_1]","org":["[CLIENT_1]"]}' }];
    yield { type: 'done', text: 'Sending to [CLIENT_1] at [EMAIL_1].', metrics: { ...emptyMetrics('openai', request.model), stopReason: 'eos', toolCalls } };
  }
}

describe('GenerationService under a redacting policy', () => {
  it('sends placeholders, and restores the values in deltas, the final text and tool-call arguments (valid JSON)', async () => {
    const provider = new PlaceholderEcho();
    const registry = new ProviderRegistry();
    registry.register(provider);
    const rows: AuditRecord[] = [];
    const audit = { record: (r: AuditRecord) => (rows.push(r), null), recordAll: (rs: AuditRecord[]) => (rows.push(...rs), []) } as unknown as AuditLog;
    const policy = parsePolicyYaml('custom: { client: { terms: [\'Acme "Big" Corp\'] } }\nproviders: { openai: { email: redact, client: redact } }\n', 'test');
    const gateway = new EgressGateway({ audit, isOffline: () => false, isProviderEnabled: () => true, dataPolicy: new DataPolicyService({ file: { path: 'p', policy }, sandbox }) });
    const generation = new GenerationService(registry, { gateway });

    const deltas: string[] = [];
    let done: Extract<StreamEvent, { type: 'done' }> | null = null;
    for await (const e of generation.stream('openai:gpt-x', [{ role: 'user', content: 'Mail jane@example.com about Acme "Big" Corp' }], {})) {
      if (e.type === 'delta') deltas.push(e.text);
      else done = e;
    }
    expect(provider.received[0]!.messages[0]!.content).toBe('Mail [EMAIL_1] about [CLIENT_1]');
    expect(deltas.join('')).toBe('Sending to Acme "Big" Corp at jane@example.com.');
    expect(done!.text).toBe(deltas.join(''));
    const call = done!.metrics.toolCalls![0]!;
    expect(call.arguments).toEqual({ to: 'jane@example.com', org: ['Acme "Big" Corp'] });
    expect(JSON.parse(call.rawArguments)).toEqual({ to: 'jane@example.com', org: ['Acme "Big" Corp'] });
    // The decision and the request are one write, the decision first, with counts and no values.
    expect(rows.map((r) => [r.purpose, r.status])).toEqual([
      ['policy', 'policy:redacted email:redact=1 client:redact=1'],
      ['generation', 'ok'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('jane@example.com');
  });

  it('screens a turn\'s tool calls too: arguments, raw arguments and the results given back', async () => {
    const provider = new PlaceholderEcho();
    const registry = new ProviderRegistry();
    registry.register(provider);
    const audit = { record: () => null, recordAll: () => [] } as unknown as AuditLog;
    const policy = parsePolicyYaml('providers: { openai: { email: redact } }\n', 'test');
    const gateway = new EgressGateway({ audit, isOffline: () => false, isProviderEnabled: () => true, dataPolicy: new DataPolicyService({ file: { path: 'p', policy }, sandbox }) });
    const generation = new GenerationService(registry, { gateway });
    const call = {
      id: 'c1',
      name: 'lookup',
      arguments: { 'who.mail': 'jane@example.com', who: { mail: 'bob@example.org' } },
      rawArguments: '{"who.mail":"jane@example.com","who":{"mail":"bob@example.org"}}',
      result: { found: ['jane@example.com owes 3 invoices'] },
    };
    const messages = [
      { role: 'user' as const, content: 'Who owes us?' },
      { role: 'assistant' as const, content: '', toolCalls: [call] },
    ];
    for await (const e of generation.stream('openai:gpt-x', messages, {})) void e;
    const sent = provider.received[0]!.messages[1]!.toolCalls![0]!;
    expect(sent.arguments).toEqual({ 'who.mail': '[EMAIL_1]', who: { mail: '[EMAIL_2]' } });
    expect(JSON.parse(sent.rawArguments)).toEqual({ 'who.mail': '[EMAIL_1]', who: { mail: '[EMAIL_2]' } });
    expect(sent.result).toEqual({ found: ['[EMAIL_1] owes 3 invoices'] });
    expect(JSON.stringify(provider.received)).not.toMatch(/jane@|bob@/);
  });
});
