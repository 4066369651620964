import { describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/main/app';
import type { RunStatus } from '../../src/shared/contract';
import { providerHarness, type ProviderHarness } from '../helpers/fakeProviders/providerApp';
import { echoLastMessage, POLICY_COST_SUITE as SUITE } from '../helpers/policyCost';
import { routeCaller } from '../helpers/routes';

const withPolicy = (yaml: string): Promise<ProviderHarness> => providerHarness({ dataPolicy: yaml, server: { replyFor: echoLastMessage } });

async function statusOf(h: ProviderHarness, runId: string, status: RunStatus): Promise<void> {
  const call = routeCaller(h.app);
  await vi.waitFor(async () => expect((await call('evals.runs.get', { runId })).status).toBe(status), { timeout: 20_000, interval: 25 });
}

describe('evals.runs.startPolicyCost: a run under the policy and one without it, linked', () => {
  it('runs both one after the other, links them in both cards, and the link and the cost survive reopening the app', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\nevalBypass: true\n');
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const ref = h.ref('compat');
    const pair = await call('evals.runs.startPolicyCost', { suiteId: suite.id, models: [ref], params: { temperature: 0 } });
    await statusOf(h, pair.withoutPolicy.id, 'completed');

    const under = await call('evals.runs.get', { runId: pair.withPolicy.id });
    const without = await call('evals.runs.get', { runId: pair.withoutPolicy.id });
    const link = { withPolicyRunId: under.id, withoutPolicyRunId: without.id };
    expect(under.runCard).toMatchObject({ dataPolicy: 'apply', policyCostPair: link });
    expect(without.runCard).toMatchObject({ dataPolicy: 'off', policyCostPair: link });
    expect(without.models).toEqual(under.models);
    // The run without the policy starts only once the one under it has finished: never both at once.
    const withoutCells = (await call('evals.runs.results', { runId: without.id })).cells;
    expect(withoutCells.every((c) => c.finishedAt >= under.finishedAt!)).toBe(true);
    // Under the policy the address never left; without it, it did (that is what is measured).
    const bodies = h.servers.compat.generationRequests.map((r) => r.body);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).not.toContain('jane.doe@example.com');
    expect(bodies.some((b) => b.includes('jane.doe@example.com'))).toBe(true);

    // A reload (here: the app closed and opened again on the same data) still finds the pair.
    await h.app.dispose();
    await using reopened = createApp({ dataDir: h.dataDir, mode: 'cli', gpu: false, remote: { env: { ...h.env } } });
    const again = routeCaller(reopened);
    expect((await again('evals.runs.get', { runId: under.id })).runCard.policyCostPair).toEqual(link);
    expect((await again('evals.runs.get', { runId: without.id })).runCard.policyCostPair).toEqual(link);
    expect(await again('policy.evalCost', link)).toEqual({
      ...link,
      sameSuite: true,
      models: [{ modelId: ref, withPolicy: 0.5, withoutPolicy: 1, difference: -0.5, refusedCells: 1, cases: 2 }],
    });
  });

  it('a cancelled run under the policy leaves the one without it pending (nothing sent unredacted) until it is resumed', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\nevalBypass: true\n');
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 5000 });
    const pair = await call('evals.runs.startPolicyCost', { suiteId: suite.id, models: [h.ref('compat')], params: { temperature: 0 } });
    await vi.waitFor(() => expect(h.servers.compat.generationRequests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    await call('evals.runs.cancel', { runId: pair.withPolicy.id });
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('evals.runs.get', { runId: pair.withoutPolicy.id })).status).toBe('pending');
    expect(h.servers.compat.generationRequests.some((r) => r.body.includes('jane.doe@example.com'))).toBe(false);

    await call('evals.runs.resume', { runId: pair.withoutPolicy.id });
    await statusOf(h, pair.withoutPolicy.id, 'completed');
    expect(h.servers.compat.generationRequests.some((r) => r.body.includes('jane.doe@example.com'))).toBe(true);
  });

  it.each([
    ['a policy without evalBypass', 'providers: { "*": { email: block } }\n', /does not allow eval runs without it: add "evalBypass: true"/],
    ['no rules at all', 'evalBypass: true\n', /No data policy is set/],
  ])('is refused with %s, before anything is stored or sent', async (_what, yaml, message) => {
    await using h = await withPolicy(yaml);
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    await expect(call('evals.runs.startPolicyCost', { suiteId: suite.id, models: [h.ref('compat')] })).rejects.toThrow(message);
    await expect(call('evals.runs.startPolicyCost', { suiteId: suite.id, models: [h.ref('compat')] })).rejects.toThrow(/VALIDATION_FAILED/);
    expect(await call('evals.runs.list', {})).toEqual([]);
    expect(h.servers.compat.requests).toHaveLength(0);
  });

  it('validates its input: the caller cannot choose dataPolicy, and a missing suite stores nothing', async () => {
    await using h = await withPolicy('providers: { "*": { email: block } }\nevalBypass: true\n');
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const res = await h.app.router.handle('evals.runs.startPolicyCost', { suiteId: suite.id, models: [h.ref('compat')], dataPolicy: 'off' }, { transport: 'test' });
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await expect(call('evals.runs.startPolicyCost', { suiteId: 'nope', models: [h.ref('compat')] })).rejects.toThrow(/NOT_FOUND/);
    expect(await call('evals.runs.list', {})).toEqual([]);
  });
});

describe('a policy-cost pair chains by its cards: the run without the policy starts whenever the one under it completes', () => {
  const POLICY = 'providers: { "*": { email: block } }\nevalBypass: true\n';
  // Under the policy the address case is refused here and only the plain one is sent: one request;
  // without it both are sent. So the fake's request count says which runs reached the network.
  const UNDER_REQUESTS = 1;
  const WITHOUT_REQUESTS = 2;

  async function startPair(h: ProviderHarness) {
    const call = routeCaller(h.app);
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const pair = await call('evals.runs.startPolicyCost', { suiteId: suite.id, models: [h.ref('compat')], params: { temperature: 0 } });
    return { call, under: pair.withPolicy.id, without: pair.withoutPolicy.id };
  }

  it('resuming the cancelled run under the policy starts the waiting one without it once it completes', async () => {
    await using h = await withPolicy(POLICY);
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 5000 });
    const { call, under, without } = await startPair(h);
    await vi.waitFor(() => expect(h.servers.compat.generationRequests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    await call('evals.runs.cancel', { runId: under });
    expect((await call('evals.runs.get', { runId: without })).status).toBe('pending');

    await call('evals.runs.resume', { runId: under });
    await statusOf(h, without, 'completed');
    expect((await call('evals.runs.get', { runId: under })).status).toBe('completed');
    // The cancelled request, the resumed run's, then the run without the policy: after the first.
    expect(h.servers.compat.generationRequests).toHaveLength(1 + UNDER_REQUESTS + WITHOUT_REQUESTS);
    expect(h.servers.compat.generationRequests.slice(0, 2).some((r) => r.body.includes('jane.doe@example.com'))).toBe(false);
  });

  it('after a crash mid-run and a restart, resuming the interrupted run under the policy runs the one without it', async () => {
    await using h = await withPolicy(POLICY);
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 5000 });
    const { under, without } = await startPair(h);
    await vi.waitFor(() => expect(h.servers.compat.generationRequests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    // A crash: the database goes away under the running app, so nothing more is written (the run
    // stays `running`, its partner `pending`), as when the process dies.
    h.app.store.dispose();
    await h.app.dispose();

    await using reopened = createApp({ dataDir: h.dataDir, mode: 'cli', gpu: false, remote: { env: { ...h.env }, policy: { baseDelayMs: 10, maxDelayMs: 2000 } } });
    const again = routeCaller(reopened);
    expect((await again('evals.runs.get', { runId: under })).status).toBe('interrupted');
    // Never started, so still waiting for its partner (and cancellable as a waiting run).
    expect((await again('evals.runs.get', { runId: without })).status).toBe('pending');

    await again('evals.runs.resume', { runId: under });
    await vi.waitFor(async () => expect((await again('evals.runs.get', { runId: without })).status).toBe('completed'), { timeout: 20_000, interval: 25 });
    expect(h.servers.compat.generationRequests).toHaveLength(1 + UNDER_REQUESTS + WITHOUT_REQUESTS);
    expect((await again('evals.runs.results', { runId: without })).cells.map((c) => c.status)).toEqual(['done', 'done']);
  });

  it('a waiting run without the policy cancelled before the one under it completes never runs; only its own resume starts it', async () => {
    await using h = await withPolicy(POLICY);
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 1000 });
    const { call, under, without } = await startPair(h);
    await vi.waitFor(() => expect(h.servers.compat.generationRequests).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect((await call('evals.runs.cancel', { runId: without })).status).toBe('cancelled');
    await statusOf(h, under, 'completed');
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('evals.runs.get', { runId: without })).status).toBe('cancelled');
    expect(h.servers.compat.generationRequests).toHaveLength(UNDER_REQUESTS);

    // "Run without the policy now" (evals.runs.resume) is the user's word, and does run it.
    await call('evals.runs.resume', { runId: without });
    await statusOf(h, without, 'completed');
    expect(h.servers.compat.generationRequests).toHaveLength(UNDER_REQUESTS + WITHOUT_REQUESTS);
  });

  it('a cancel of the waiting run arriving the moment the one under it completes wins: nothing is sent for it', async () => {
    await using h = await withPolicy(POLICY);
    const call = routeCaller(h.app);
    let ids: { under: string; without: string } | null = null;
    let cancel: Promise<unknown> | null = null;
    // Runs inside the completion (the bus calls listeners synchronously, the router reaches the
    // service before its first await): after the status is stored, before the pair's chaining.
    h.app.bus.on('evals.progress', (p) => {
      if (ids && p.runId === ids.under && p.status === 'completed' && !cancel) cancel = call('evals.runs.cancel', { runId: ids.without });
    });
    // The first cell is slow, so the ids are known before the run under the policy completes.
    h.servers.compat.faults.push({ kind: 'slow-first', delayMs: 500 });
    ids = await startPair(h);
    await statusOf(h, ids.under, 'completed');
    expect(cancel).not.toBeNull();
    await cancel;
    await new Promise((r) => setTimeout(r, 300));
    expect((await call('evals.runs.get', { runId: ids.without })).status).toBe('cancelled');
    expect(h.servers.compat.generationRequests).toHaveLength(UNDER_REQUESTS);
  });
});
