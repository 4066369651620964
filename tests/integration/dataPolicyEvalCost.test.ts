import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteInput, RouteName, RouteOutput } from '../../src/shared/contract';
import { createApp } from '../../src/main/app';
import { runCli } from '../../src/main/cli/program';
import { cliClient } from '../../src/main/cli/cliClient';
import { runEval } from '../../src/main/cli/commands/eval';
import { cliIo, useFakeOpenAi } from '../helpers/cli';
import { providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { echoLastMessage, POLICY_COST_SUITE as SUITE, POLICY_COST_SUITE_FILE, sayPhraseBack } from '../helpers/policyCost';
import { tempDir } from '../helpers/tmp';

const withPolicy = (yaml: string): Promise<ProviderHarness> => providerHarness({ dataPolicy: yaml, server: { replyFor: echoLastMessage } });

function caller(h: ProviderHarness) {
  return async <K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>> => {
    const res = await h.app.router.handle(route, input, { transport: 'test' });
    if (!res.ok) throw Object.assign(new Error(`${route}: ${res.error.code} ${res.error.message}`), { code: res.error.code });
    return res.data as RouteOutput<K>;
  };
}

async function runSuite(h: ProviderHarness, suiteId: string, dataPolicy: 'apply' | 'off'): Promise<string> {
  const call = caller(h);
  const finished = new Promise<void>((resolve) => {
    const off = h.app.bus.on('evals.progress', (p) => p.status === 'completed' && (off(), resolve()));
  });
  const run = await call('evals.runs.start', { suiteId, models: [h.ref('compat')], params: { temperature: 0 }, dataPolicy });
  await finished;
  return run.id;
}

describe('eval under policy: pass rate with and without the rules, side by side', () => {
  it('a run without the policy (allowed by evalBypass) against one under it shows what the rules cost', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\nevalBypass: true\n');
    const call = caller(h);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const under = await runSuite(h, suite.id, 'apply');
    expect(h.servers.compat.generationRequests).toHaveLength(1);
    const without = await runSuite(h, suite.id, 'off');
    // Without the policy the address went out as written (that is what the comparison measures).
    expect(h.servers.compat.generationRequests.some((r) => r.body.includes('jane.doe@example.com'))).toBe(true);
    expect((await call('evals.runs.get', { runId: without })).runCard.dataPolicy).toBe('off');

    const cost = await call('policy.evalCost', { withPolicyRunId: under, withoutPolicyRunId: without });
    expect(cost).toEqual({
      withPolicyRunId: under,
      withoutPolicyRunId: without,
      sameSuite: true,
      models: [{ modelId: h.ref('compat'), withPolicy: 0.5, withoutPolicy: 1, difference: -0.5, refusedCells: 1, cases: 2 }],
    });
    await expect(call('policy.evalCost', { withPolicyRunId: without, withoutPolicyRunId: under })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const audit = await call('audit.list', { limit: 100 });
    expect(audit.rows.filter((r) => r.status === 'policy:off eval-bypass')).toHaveLength(2);
    expect((await call('audit.verify', {})).ok).toBe(true);
  });

  it('without evalBypass in the policy, a run asking to go without it is refused cell by cell and sends nothing', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\n');
    const call = caller(h);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const run = await runSuite(h, suite.id, 'off');
    const results = await call('evals.runs.results', { runId: run });
    expect(results.cells.map((c) => c.error?.code)).toEqual(['POLICY_BLOCKED', 'POLICY_BLOCKED']);
    expect(results.cells[0]!.error?.message).toMatch(/does not allow \(add evalBypass: true/);
    expect(h.servers.compat.requests).toHaveLength(0);
  });
});

describe('parity eval --under-policy', () => {
  describe('with OPENAI_API_KEY and OPENAI_BASE_URL set to a fake OpenAI (restored after each test)', () => {
    const openai = useFakeOpenAi({ replyFor: sayPhraseBack });

    /** `parity --data-dir <dir>/data --policy <dir>/policy.yaml eval <suite> --models openai:gpt-4o-mini --under-policy` */
    async function evalUnderPolicy(dir: string, policyYaml: string) {
      const policy = join(dir, 'policy.yaml');
      writeFileSync(policy, policyYaml);
      const io = cliIo();
      const code = await runCli(['--data-dir', join(dir, 'data'), '--policy', policy, 'eval', POLICY_COST_SUITE_FILE, '--models', 'openai:gpt-4o-mini', '--under-policy'], io);
      return { code, io };
    }

    it('runs the suite under the policy and without it, and prints the pass rates side by side', async () => {
      using dir = tempDir();
      const { code, io } = await evalUnderPolicy(dir.path, 'providers: { openai: { email: block } }\nevalBypass: true\n');
      // The run under the policy has a refused cell, which is a failed cell: exit 1, with the table.
      expect(code).toBe(1);
      expect(io.stdout()).toMatch(/MODEL\s+UNDER POLICY\s+WITHOUT\s+DIFFERENCE\s+REFUSED CELLS\nopenai:gpt-4o-mini\s+50\.0%\s+100\.0%\s+-50\.0 pts\s+1/);
      expect(openai().generationRequests).toHaveLength(3);
      // The app's route started them: one pair, linked in both cards as the run dialog links it.
      await using app = createApp({ dataDir: join(dir.path, 'data'), mode: 'cli', gpu: false, remote: { env: {} } });
      const runs = app.evals.listRuns().map((r) => app.evals.getRun(r.id));
      expect(runs).toHaveLength(2);
      const under = runs.find((r) => r.runCard.dataPolicy === 'apply')!;
      const without = runs.find((r) => r.runCard.dataPolicy === 'off')!;
      expect([under.status, without.status]).toEqual(['completed', 'completed']);
      expect(under.runCard.policyCostPair).toEqual({ withPolicyRunId: under.id, withoutPolicyRunId: without.id });
      expect(without.runCard.policyCostPair).toEqual(under.runCard.policyCostPair);
      expect(await runCli(['eval', POLICY_COST_SUITE_FILE, '--under-policy', '--without-policy'], io)).toBe(2);
    });

    it('refuses before anything runs or is stored when the policy does not allow a run without it (the route\'s refusal, exit 2)', async () => {
      using dir = tempDir();
      const { code, io } = await evalUnderPolicy(dir.path, 'providers: { openai: { email: block } }\n');
      expect(code).toBe(2);
      expect(io.stderr()).toMatch(/does not allow eval runs without it: add "evalBypass: true"/);
      expect(openai().generationRequests).toHaveLength(0);
      await using app = createApp({ dataDir: join(dir.path, 'data'), mode: 'cli', gpu: false, remote: { env: {} } });
      expect(app.evals.listRuns()).toEqual([]);
    });
  });

  it('Ctrl+C during the run under the policy cancels it through the app and leaves its partner pending, as the app does (exit 1)', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\nevalBypass: true\n');
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 30_000 });
    const io = cliIo();
    const controller = new AbortController();
    const done = runEval(POLICY_COST_SUITE_FILE, 'yaml', { models: [h.ref('compat')], repeat: 1, underPolicy: true }, cliClient(h.app), io, controller.signal);
    while (h.servers.compat.generationRequests.length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect(await done).toBe(1);
    expect(io.stderr()).toContain('the run did not finish (cancelled)');
    expect(io.stdout()).not.toContain('Data policy cost');
    const runs = h.app.evals.listRuns().map((r) => h.app.evals.getRun(r.id));
    const under = runs.find((r) => r.runCard.dataPolicy === 'apply')!;
    const without = runs.find((r) => r.runCard.dataPolicy === 'off')!;
    expect([under.status, without.status]).toEqual(['cancelled', 'pending']);
    expect(without.runCard.policyCostPair).toEqual({ withPolicyRunId: under.id, withoutPolicyRunId: without.id });
    expect(h.servers.compat.generationRequests).toHaveLength(1);
  });
});
