import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import type { RouteReport } from '../../src/shared/domain/dataPolicy';
import { isAppError } from '../../src/shared/errors';
import { FakeProviderServer } from '../helpers/fakeProviders/FakeProviderServer';
import { collect, FAKE_KEYS, providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { cliIo, useSavedEnv } from '../helpers/cli';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const ENV_NAMES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'PARITY_POLICY_FILE'];
const PARAMS = { maxTokens: 8, temperature: 0, threads: 1 };

async function harnessWith(policy: string): Promise<ProviderHarness & { dir: { path: string } & Disposable }> {
  const dir = tempDir();
  const file = join(dir.path, 'policy.yaml');
  writeFileSync(file, policy);
  const h = await providerHarness({ env: { PARITY_POLICY_FILE: file } });
  const dispose = h[Symbol.asyncDispose].bind(h);
  return Object.assign(h, { dir, [Symbol.asyncDispose]: async () => (await dispose(), dir[Symbol.dispose]()) });
}

describe('routes: parity chat --json names the model that answered and why', () => {
  useSavedEnv(ENV_NAMES);

  it('a first provider that answers 429 three times: the next answers, and the audit records the step', async () => {
    using dir = tempDir();
    await using openai = await FakeProviderServer.start({ wire: 'openai', key: FAKE_KEYS.openai });
    await using anthropic = await FakeProviderServer.start({ wire: 'anthropic', key: FAKE_KEYS.anthropic });
    Object.assign(process.env, { OPENAI_API_KEY: FAKE_KEYS.openai, OPENAI_BASE_URL: openai.baseUrl, ANTHROPIC_API_KEY: FAKE_KEYS.anthropic, ANTHROPIC_BASE_URL: anthropic.baseUrl });
    for (let i = 0; i < 3; i++) openai.faults.push({ kind: 'status', status: 429, retryAfter: '0' });
    const policy = join(dir.path, 'policy.yaml');
    writeFileSync(policy, 'routes:\n  analyst: { models: [openai:gpt-4o-mini, anthropic:claude-sonnet-4-5], retries: 2 }\n');
    const global = ['--data-dir', join(dir.path, 'data'), '--policy', policy];

    const chat = cliIo();
    expect(await runCli([...global, 'chat', 'Say hello', '--model', 'route:analyst', '--json'], chat)).toBe(0);
    const out = JSON.parse(chat.stdout()) as { text: string; provider: string; answeredBy: string; route: RouteReport; model: { id: string } };
    expect(out.text).toBe('Hello, world!');
    expect(out.model.id).toBe('route:analyst');
    expect(out.provider).toBe('anthropic');
    expect(out.answeredBy).toBe('anthropic:claude-sonnet-4-5');
    expect(out.route.steps.map((s) => [s.ref, s.outcome])).toEqual([
      ['openai:gpt-4o-mini', 'failed'],
      ['anthropic:claude-sonnet-4-5', 'answered'],
    ]);
    expect(out.route.reason).toMatch(/^openai:gpt-4o-mini failed \(PROVIDER_RATE_LIMITED: .*\); answered by anthropic:claude-sonnet-4-5$/);
    expect(openai.generationRequests).toHaveLength(3);
    expect(anthropic.generationRequests).toHaveLength(1);

    const text = cliIo();
    expect(await runCli([...global, 'chat', 'Say hello', '--model', 'route:analyst'], text)).toBe(0);
    expect(text.stderr()).toContain('route:analyst → openai:gpt-4o-mini: first choice');

    const audit = cliIo();
    expect(await runCli([...global, 'audit', '--json'], audit)).toBe(0);
    const log = JSON.parse(audit.stdout()) as { rows: Array<{ purpose: string; status: string }>; verify: { ok: boolean } };
    expect(log.verify.ok).toBe(true);
    expect(log.rows.filter((r) => r.purpose === 'route').map((r) => r.status)).toEqual([
      'route:analyst answered-by=openai:gpt-4o-mini',
      'route:analyst answered-by=anthropic:claude-sonnet-4-5 openai:gpt-4o-mini=failed:PROVIDER_RATE_LIMITED',
    ]);
    const report = cliIo();
    expect(await runCli([...global, 'audit', '--policy-report', '--json'], report)).toBe(0);
    expect(JSON.parse(report.stdout())).toMatchObject({
      providers: [
        { provider: 'anthropic', sent: 1, rerouted: 0 },
        { provider: 'openai', sent: 4, rerouted: 1 },
      ],
    });
  });

  it('an unknown route is refused with where to define it', async () => {
    using dir = tempDir();
    const chat = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', 'hi', '--model', 'route:nope', '--json'], chat)).toBe(1);
    expect(chat.stderr()).toContain('There is no route "nope". Define it under routes: in the data policy');
  });
});

describe('routes: local only, budgets, and every place a model id goes', () => {
  it('a detector set to local sends the message straight to the first local model; a plain remote ref is refused', async () => {
    await using h = await providerHarness();
    const imported = await h.app.router.handle('models.import', { path: STORIES_MODEL, mode: 'link' }, { transport: 'test' });
    if (!imported.ok) throw new Error(imported.error.message);
    const LOCAL = `local:${(imported.data as { model: { id: string } }).model.id}`;
    // The stored policy (Settings → Data policy) defines routes too.
    const set = await h.app.router.handle('policy.set', { yaml: `providers: { "*": { ssn: local } }\nroutes: { careful: [openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, "${LOCAL}"] }\n` }, { transport: 'test' });
    expect(set.ok).toBe(true);
    const messages = [{ role: 'user' as const, content: 'Customer SSN 123-45-6789: summarise' }];
    const { done } = await collect(h.app.generation.stream('route:careful', messages, PARAMS));
    expect(done.metrics.route).toMatchObject({ answeredBy: LOCAL, steps: [{ outcome: 'failed' }, { outcome: 'skipped', reason: 'local only: 1 SSN' }, { outcome: 'answered' }] });
    expect(done.metrics.provider).toBe('local');
    expect(h.servers.openai.requests).toHaveLength(0);
    expect(h.servers.anthropic.requests).toHaveLength(0);

    const direct = await collect(h.app.generation.stream(h.ref('openai'), messages, PARAMS)).catch((e: unknown) => e);
    expect(isAppError(direct) && direct.code).toBe('POLICY_BLOCKED');
    expect((direct as Error).message).toBe('blocked by data policy: 1 SSN (local only)');
    // Without the value, the route's first choice answers.
    const { done: plain } = await collect(h.app.generation.stream('route:careful', [{ role: 'user', content: 'hello' }], PARAMS));
    expect(plain.metrics.route?.answeredBy).toBe('openai:gpt-4o-mini');
  });

  it('a provider whose daily budget is spent is skipped, with the budget state in the reason', async () => {
    await using h = await harnessWith('budgets: { openai: { dailyUsd: 0.000001 } }\nroutes: { cheap: [openai:gpt-4o-mini, google:gemini-2.5-flash] }\n');
    const hello = [{ role: 'user' as const, content: 'hello' }];
    const first = await collect(h.app.generation.stream('route:cheap', hello, {}));
    expect(first.done.metrics.route?.answeredBy).toBe('openai:gpt-4o-mini');
    const second = await collect(h.app.generation.stream('route:cheap', hello, {}));
    expect(second.done.metrics.route).toMatchObject({
      answeredBy: 'google:gemini-2.5-flash',
      steps: [{ ref: 'openai:gpt-4o-mini', outcome: 'skipped', reason: 'budget spent: daily $0.0000042 of $0.0000010' }, { outcome: 'answered' }],
    });
    expect(second.done.metrics.fallbackFrom).toBe('openai:gpt-4o-mini');
    // The budget state is on the record with each route decision, spent or not.
    const routeRows = (await h.app.router.handle('audit.list', { limit: 20 }, { transport: 'test' })) as { ok: true; data: { rows: Array<{ purpose: string; status: string }> } };
    expect(routeRows.data.rows.filter((r) => r.purpose === 'route').map((r) => r.status)).toEqual([
      'route:cheap answered-by=google:gemini-2.5-flash openai:gpt-4o-mini=skipped:budget_spent:_daily_$0.0000042_of_$0.0000010 budget:openai:gpt-4o-mini=daily_$0.0000042_of_$0.0000010',
      'route:cheap answered-by=openai:gpt-4o-mini budget:openai:gpt-4o-mini=daily_$0.00_of_$0.0000010',
    ]);
    expect(h.servers.openai.generationRequests).toHaveLength(1);
  });

  it('routes work in compare and evals like any model id', async () => {
    await using h = await harnessWith('routes: { duo: [compat:fake/llama-3.1-8b-instant, openai:gpt-4o-mini] }\n');
    const call = routeCaller(h.app);
    h.servers.compat.faults.push({ kind: 'status', status: 503 });
    const done = new Promise<string>((resolve) => h.app.bus.on('compare.done', (p) => p.slot === 0 && resolve(p.text)));
    await call('compare.start', { prompt: 'hello', refs: ['route:duo', h.ref('anthropic')] });
    expect(await done).toBe('Hello, world!');
    expect(h.servers.openai.generationRequests).toHaveLength(1);

    const suite = await call('evals.suites.import', { format: 'yaml', content: "description: r\nprompts: ['hi']\ntests:\n  - assert: [{ type: icontains, value: hello }]\n" });
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models: ['route:duo'], params: { temperature: 0 } });
    await finished;
    const results = await call('evals.runs.results', { runId: run.id });
    expect(results.cells.map((c) => [c.modelId, c.status, c.output])).toEqual([['route:duo', 'done', 'Hello, world!']]);
  });
});
