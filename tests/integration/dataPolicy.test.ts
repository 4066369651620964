import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/main/cli/program';
import { BUILTIN_DETECTOR_IMPLS } from '../../src/main/core/policy/detectors/builtin';
import type { EventName, EventPayload } from '../../src/shared/contract';
import OpenAI from 'openai';
import { apiHarness } from '../helpers/apiHarness';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { CORPUS, corpusValues, leaks, REDACT_ALL } from '../helpers/leakCorpus';
import { FAKE_KEYS, providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { cliIo, useSavedEnv } from '../helpers/cli';
import { routeCaller } from '../helpers/routes';
import { tempDir } from '../helpers/tmp';

/** One CLI invocation, as a fresh process would start it (a previous command's exit code does not carry over). */
function run(argv: string[], out: CliIo): Promise<number> {
  process.exitCode = undefined;
  return runCli(argv, out);
}

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'PARITY_POLICY_FILE', 'PARITY_OFFLINE'];
const EMAIL = 'jane.doe@example.com';
const IBAN = 'DE89 3704 0044 0532 0130 00';

describe('data policy end to end through the CLI (fake OpenAI server)', () => {
  useSavedEnv(ENV_NAMES);

  it.each(['--policy', 'PARITY_POLICY_FILE'] as const)(
    'email: redact, iban: block for OpenAI (%s): the server sees [EMAIL_1], the user the address; an IBAN is refused with zero requests',
    async (how) => {
      using dir = tempDir();
      // The model answers with the placeholder, split across deltas the way a real stream may split it.
      await using server = await FakeProviderServer.start({
        wire: 'openai',
        key: FAKE_KEYS.openai,
        reply: { chunks: ['I will write to ', '[EMA', 'IL_1', '] today.'], usage: { input: 20, output: 8 } },
      });
      process.env.OPENAI_API_KEY = FAKE_KEYS.openai;
      process.env.OPENAI_BASE_URL = server.baseUrl;
      const policyFile = join(dir.path, 'policy.yaml');
      writeFileSync(policyFile, 'providers:\n  openai: { email: redact, iban: block }\n');
      const global = how === '--policy' ? ['--data-dir', join(dir.path, 'data'), '--policy', policyFile] : ['--data-dir', join(dir.path, 'data')];
      if (how === 'PARITY_POLICY_FILE') process.env.PARITY_POLICY_FILE = policyFile;

      const chat = cliIo();
      expect(await run([...global, 'chat', `Please e-mail ${EMAIL} the minutes.`, '--model', 'openai:gpt-4o-mini', '--json'], chat)).toBe(0);
      expect(server.generationRequests).toHaveLength(1);
      const sent = server.generationRequests[0]!.body;
      expect(sent).toContain('Please e-mail [EMAIL_1] the minutes.');
      expect(sent).not.toContain(EMAIL);
      expect(JSON.parse(chat.stdout())).toMatchObject({ text: `I will write to ${EMAIL} today.`, policy: { outcome: 'redacted', findings: [{ detector: 'email', action: 'redact', count: 1 }] } });

      const streamed = cliIo();
      expect(await run([...global, 'chat', `Mail ${EMAIL}`, '--model', 'openai:gpt-4o-mini'], streamed)).toBe(0);
      expect(streamed.stdout()).toBe(`I will write to ${EMAIL} today.\n`);
      expect(streamed.stderr()).toContain('data policy: 1 EMAIL redacted');

      const blocked = cliIo();
      expect(await run([...global, 'chat', `Pay ${IBAN} and mail ${EMAIL}`, '--model', 'openai:gpt-4o-mini', '--json'], blocked)).toBe(1);
      expect(blocked.stderr()).toContain('blocked by data policy: 1 IBAN');
      expect(JSON.parse(blocked.stdout())).toMatchObject({ text: '', error: { code: 'POLICY_BLOCKED', message: 'blocked by data policy: 1 IBAN' } });
      expect(blocked.stdout() + blocked.stderr()).not.toContain('DE89');
      expect(server.generationRequests).toHaveLength(2);

      // Every decision is on the record, without the values, and the chain still verifies.
      const audit = cliIo();
      expect(await run([...global, 'audit', '--json'], audit)).toBe(0);
      const log = JSON.parse(audit.stdout()) as { rows: Array<{ status: string; purpose: string; provider: string; model: string | null }>; verify: { ok: boolean } };
      expect(log.verify.ok).toBe(true);
      const policyRows = log.rows.filter((r) => r.purpose === 'policy');
      expect(policyRows.map((r) => r.status)).toEqual(['policy:blocked iban:block=1 email:redact=1', 'policy:redacted email:redact=1', 'policy:redacted email:redact=1']);
      expect(policyRows.every((r) => r.provider === 'openai' && r.model === 'gpt-4o-mini')).toBe(true);
      expect(audit.stdout()).not.toContain(EMAIL);
      expect(audit.stdout()).not.toContain('DE89');
      const table = cliIo();
      expect(await run([...global, 'audit'], table)).toBe(0);
      expect(table.stdout()).toContain('policy:blocked iban:block=1');

      // The policy report counts from the same rows: 2 sent (both redacted), 1 blocked.
      const report = cliIo();
      expect(await run([...global, 'audit', '--policy-report', '--json'], report)).toBe(0);
      expect(JSON.parse(report.stdout())).toMatchObject({ providers: [{ provider: 'openai', sent: 2, redacted: 2, warned: 0, blocked: 1, rerouted: 0 }], total: { sent: 2 } });
      const printed = cliIo();
      expect(await run([...global, 'audit', '--policy-report'], printed)).toBe(0);
      expect(printed.stdout()).toMatch(/PROVIDER\s+SENT\s+REDACTED\s+WARNED\s+BLOCKED\s+REROUTED\nopenai\s+2\s+2\s+0\s+1\s+0\ntotal/);
      const future = cliIo();
      expect(await run([...global, 'audit', '--policy-report', '--since', '2999-01-01', '--json'], future)).toBe(0);
      expect(JSON.parse(future.stdout())).toMatchObject({ since: '2999-01-01T00:00:00.000Z', providers: [], total: { sent: 0, blocked: 0 } });
      expect(await run([...global, 'audit', '--policy-report', '--since', 'yesterday'], cliIo())).toBe(2);
    },
  );

  it('parity policy show / check print the policy in force and what it does to a message, sending nothing', async () => {
    using dir = tempDir();
    const policyFile = join(dir.path, 'policy.yaml');
    writeFileSync(policyFile, 'providers:\n  openai: { email: redact, iban: block }\nroutes: { analyst: [openai:gpt-4o-mini, anthropic:claude-sonnet-4-5] }\n');
    const global = ['--data-dir', join(dir.path, 'data'), '--policy', policyFile];
    const show = cliIo();
    expect(await run([...global, 'policy', 'show'], show)).toBe(0);
    expect(show.stdout()).toBe(`Data policy from the file ${policyFile}.\nopenai: EMAIL redact, IBAN block\nroute:analyst = openai:gpt-4o-mini → anthropic:claude-sonnet-4-5\n`);
    const check = cliIo();
    expect(await run([...global, 'policy', 'check', '--model', 'openai:gpt-4o-mini', `Mail ${EMAIL}`], check)).toBe(0);
    expect(check.stdout()).toBe('redacted: 1 EMAIL (redact)\nwould send: Mail [EMAIL_1]\n');
    const blocked = cliIo();
    expect(await run([...global, 'policy', 'check', '--model', 'openai:gpt-4o-mini', `Pay ${IBAN}`, '--json'], blocked)).toBe(1);
    expect(JSON.parse(blocked.stdout())).toMatchObject({ outcome: 'blocked', sent: null, refusal: 'blocked by data policy: 1 IBAN' });
  });

  it('a malformed policy file stops the command with the file and the place of the problem (exit 2)', async () => {
    using dir = tempDir();
    const policyFile = join(dir.path, 'policy.yaml');
    writeFileSync(policyFile, 'providers:\n  openai: { emial: redact }\n');
    const out = cliIo();
    expect(await run(['--data-dir', join(dir.path, 'data'), '--policy', policyFile, 'audit'], out)).toBe(2);
    expect(out.stderr()).toContain(`The data policy file ${policyFile} is invalid: providers.openai.emial: unknown detector "emial"`);
    const missing = cliIo();
    expect(await run(['--data-dir', join(dir.path, 'data'), '--policy', join(dir.path, 'nope.yaml'), 'audit'], missing)).toBe(2);
    expect(missing.stderr()).toContain('no such file');
  });
});

function nextEvent<E extends EventName>(h: ProviderHarness, name: E, match: (p: EventPayload<E>) => boolean): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = h.app.bus.on(name, (p) => {
      if (!match(p)) return;
      off();
      resolve(p);
    });
  });
}

describe('data policy through the local OpenAI-compatible API', () => {
  it('a blocked request is a 400 naming the detector and count, with nothing sent upstream', async () => {
    using dir = tempDir();
    const policyFile = join(dir.path, 'policy.yaml');
    writeFileSync(policyFile, 'providers: { "*": { iban: block } }\n');
    await using h = await providerHarness({ env: { PARITY_POLICY_FILE: policyFile } });
    await using api = await apiHarness({ app: h.app });
    const error = await api.client.chat.completions.create({ model: h.ref('openai'), messages: [{ role: 'user', content: `Pay ${IBAN}` }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 400, code: 'data_policy_blocked', message: expect.stringContaining('blocked by data policy: 1 IBAN') });
    expect(h.servers.openai.requests).toHaveLength(0);
  });
});

describe('leak test: a synthetic corpus through every remote path reaches no fake server', () => {
  it('chat (two turns), compare and evals, on all four wires: zero detected values in any byte received; the audit verifies', async () => {
    using dir = tempDir();
    const policyFile = join(dir.path, 'policy.yaml');
    writeFileSync(policyFile, REDACT_ALL);
    // Each fake answers with a placeholder: restored on the device, it comes back in the next turn's history.
    await using h = await providerHarness({
      env: { PARITY_POLICY_FILE: policyFile },
      server: { reply: { chunks: ['Noted ', '[EMAIL_', '1] and [CARD_1].'], usage: { input: 10, output: 5 } } },
    });
    const call = routeCaller(h.app);
    const values = corpusValues();
    // The corpus really is full of values: every built-in kind is represented.
    expect(values.length).toBeGreaterThanOrEqual(14);
    for (const detector of Object.values(BUILTIN_DETECTOR_IMPLS)) expect(CORPUS.some((t) => detector.detect(t).length > 0)).toBe(true);
    const wires = ['openai', 'anthropic', 'google', 'compat'] as const;

    for (const wire of wires) {
      const conv = await call('chat.conversations.create', { modelRef: h.ref(wire), systemPrompt: `You help ${CORPUS[0]}` });
      for (const text of [CORPUS[1]!, `${CORPUS[2]}\n${CORPUS[3]}`]) {
        const done = nextEvent(h, 'chat.done', (p) => p.conversationId === conv.id);
        await call('chat.send', { conversationId: conv.id, text });
        const finished = await done;
        expect(finished.status).toBe('complete');
        // The user reads the real values where the model wrote placeholders.
        expect(finished.text).toBe('Noted jane.doe@example.com and 4111 1111 1111 1111.');
        while ((await call('chat.conversations.get', { id: conv.id })).generating) await new Promise((r) => setTimeout(r, 5));
      }
    }

    const compare = await call('compare.start', { prompt: CORPUS.join('\n'), systemPrompt: CORPUS[2], refs: wires.map((w) => h.ref(w)) });
    await Promise.all(wires.map((_, slot) => nextEvent(h, 'compare.done', (p) => p.sessionId === compare.id && p.slot === slot)));

    const suite = await call('evals.suites.import', {
      format: 'yaml',
      content: [
        'description: leak corpus',
        'prompts:',
        "  - 'Summarise: {{record}}'",
        'tests:',
        ...CORPUS.map((record, i) => `  - metadata: { id: rec${i} }\n    vars: { record: ${JSON.stringify(record)} }\n    assert: [{ type: icontains, value: noted }]`),
      ].join('\n'),
    });
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models: wires.map((w) => h.ref(w)), params: { temperature: 0, maxTokens: 16 } });
    await finished;
    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.cells.filter((c) => c.status === 'error')).toEqual([]);
    // Each case is its own request: only the placeholders of that request are put back.
    const outputs = new Set(results.cells.map((c) => `${c.caseId}: ${c.output}`));
    expect(outputs).toEqual(
      new Set(['rec0: Noted jane.doe@example.com and [CARD_1].', 'rec1: Noted [EMAIL_1] and 4111 1111 1111 1111.', 'rec2: Noted [EMAIL_1] and [CARD_1].', 'rec3: Noted [EMAIL_1] and [CARD_1].']),
    );

    // The local OpenAI-compatible API, with a remote model behind it: non-streamed and streamed.
    await using api = await apiHarness({ app: h.app });
    for (const wire of wires) {
      const messages = [
        { role: 'system' as const, content: CORPUS[3]! },
        { role: 'user' as const, content: `${CORPUS[0]} ${CORPUS[1]}` },
      ];
      const whole = await api.client.chat.completions.create({ model: h.ref(wire), messages });
      expect(whole.choices[0]!.message.content).toBe('Noted jane.doe@example.com and 4111 1111 1111 1111.');
      let streamed = '';
      for await (const chunk of await api.client.chat.completions.create({ model: h.ref(wire), messages, stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
      expect(streamed).toBe('Noted jane.doe@example.com and 4111 1111 1111 1111.');
    }

    for (const wire of wires) {
      const requests = h.servers[wire].generationRequests;
      // 2 chat turns + 1 compare slot + 4 eval cases + 2 API calls reached each server, redacted.
      expect(requests, wire).toHaveLength(9);
      expect(requests.some((r) => r.body.includes('[EMAIL_1]') && r.body.includes('[SECRET_1]'))).toBe(true);
      expect(leaks(h.servers[wire].requests, values), wire).toEqual([]);
    }
    const verify = await call('audit.verify', {});
    expect(verify.ok).toBe(true);
    const audit = await call('audit.list', { limit: 500 });
    expect(audit.rows.filter((r) => r.purpose === 'policy')).toHaveLength(36);
    const logged = JSON.stringify(audit.rows);
    expect(values.filter((v) => logged.includes(v) || logged.includes(JSON.stringify(v).slice(1, -1)))).toEqual([]);
  });
});
