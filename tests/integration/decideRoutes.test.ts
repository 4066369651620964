import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostedArg, parseVolumeArg } from '../../src/main/cli/commands/report';
import { runCli } from '../../src/main/cli/program';
import { providerHarness } from '../helpers/fakeProviders/providerApp';
import { routeCaller } from '../helpers/routes';
import { STORIES_MODEL, tempDir, TINY_RANDOM_MODEL } from '../helpers/tmp';

/** Fake remotes answer "Hello, world!": they pass "greet"; the two local models do not. */
const SUITE = `
description: decide known outcome
prompts:
  - 'Say hello to the {{what}}'
tests:
  - metadata: { id: greet }
    vars: { what: world }
    assert:
      - type: icontains
        value: hello
  - metadata: { id: any }
    vars: { what: moon }
    assert:
      - type: not-icontains
        value: zzzz
`;

describe('decide.* routes and parity report on a run with two local and two remote models', () => {
  it('prices the run at a volume, finds every local/remote break-even, recommends by the rule, and writes a record that re-imports', async () => {
    await using h = await providerHarness();
    const call = routeCaller(h.app);
    // A hosted open-weight endpoint is priced per million tokens like any other.
    await call('prices.set', { ref: h.ref('compat'), inputPerMTok: 0.2, outputPerMTok: 0.2 });
    const suite = await call('evals.suites.import', { format: 'yaml', content: SUITE });
    const locals = [`local:${STORIES_MODEL}`, `local:${TINY_RANDOM_MODEL}`];
    const remotes = [h.ref('openai'), h.ref('compat')];
    const finished = new Promise<void>((resolve) => h.app.bus.on('evals.progress', (p) => p.status === 'completed' && resolve()));
    const run = await call('evals.runs.start', { suiteId: suite.id, models: [...locals, ...remotes], params: { temperature: 0, seed: 1, maxTokens: 8, threads: 1 } });
    await finished;

    const d = await call('decide.evaluate', { runId: run.id, volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 } });
    expect(d.models.map((m) => m.kind).sort()).toEqual(['api', 'hosted', 'local', 'local']);
    for (const m of d.models) expect(m.monthlyCostUsd, m.ref).not.toBeNull();
    expect(d.models.filter((m) => m.kind === 'local').every((m) => m.machines === 1 && m.estimate)).toBe(true);
    expect(d.breakEvens).toHaveLength(4);
    expect(d.breakEvens.map((b) => `${b.remoteKind}`).sort()).toEqual(['api', 'api', 'hosted', 'hosted']);
    expect(d.recommendation.winner).not.toBeNull();
    // Settings → Cost drive the local estimate: $300 more operations a month is $300 more per local model.
    const local0 = d.models.find((m) => m.kind === 'local')!;
    await call('settings.set', { key: 'costOpsUsdPerMonth', value: 500 });
    const dearer = await call('decide.evaluate', { runId: run.id, volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 } });
    expect(dearer.models.find((m) => m.ref === local0.ref)!.monthlyCostUsd).toBeCloseTo(local0.monthlyCostUsd! + 300, 6);
    expect(dearer.models.find((m) => m.kind === 'api')!.monthlyCostUsd).toBe(d.models.find((m) => m.kind === 'api')!.monthlyCostUsd);
    const refused = await h.app.router.handle('settings.set', { key: 'costHoursPerDay', value: 30 }, { transport: 'test' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/costHoursPerDay/) } });
    await call('settings.set', { key: 'costOpsUsdPerMonth', value: 200 });

    // The route validates its input like every other: a negative volume is refused with the field named.
    const bad = await h.app.router.handle('decide.evaluate', { runId: run.id, volume: { amount: -5 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 } }, { transport: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/volume\.amount/) } });

    const rec = await call('decide.record', { runId: run.id, volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 }, question: 'Which model for greetings?' });
    expect(rec.content).not.toMatch(/\s(src|href)=/);
    // Each remote model sent two requests to its loopback host, and the chain verified.
    expect(rec.data.audit.chainOk).toBe(true);
    expect(rec.data.audit.hosts.map((x) => x.requests)).toEqual([2, 2]);
    expect(rec.data.audit.hosts.every((x) => x.bytesSent > 0 && x.host.startsWith('127.0.0.1:'))).toBe(true);
    expect(rec.data.modelFacts.filter((f) => f.dataGoesTo === 'on this device')).toHaveLength(2);
    expect(rec.data.modelFacts.find((f) => f.ref === h.ref('openai'))!.identity).toBe('gpt-4o-mini');
    const back = await call('decide.importRecord', { content: rec.content, runId: run.id });
    expect(back.record).toEqual(rec.data);
    expect(back.later!.recommendation.winner).toBe(rec.data.decision.recommendation.winner);

    // The CLI writes the same record through the router.
    using out = tempDir();
    const file = join(out.path, 'decision.html');
    const io = { out: (t: string) => void (stdout += t), err: (t: string) => void (stderr += t) };
    let stdout = '';
    let stderr = '';
    expect(await runCli(['--data-dir', h.dataDir, 'report', run.id, '--volume', '2000/day', '--html', file], io), stderr).toBe(0);
    expect(stdout).toMatch(/Rule: Lowest cost per successful task/);
    stdout = '';
    expect(await runCli(['--data-dir', h.dataDir, 'report', run.id, '--volume', '2k/day', '--hosted', `${locals[0]}@together=0.1/0.1`, '--json'], io), stderr).toBe(0);
    expect(JSON.parse(stdout).decision.models.find((m: { ref: string }) => m.ref === `${locals[0]} @ together`)).toMatchObject({ kind: 'hosted', basedOn: locals[0] });
    const html = readFileSync(file, 'utf8');
    const fromCli = await call('decide.importRecord', { content: html });
    expect(fromCli.record.decision.volume).toEqual({ amount: 2000, unit: 'tasks' });
    expect(fromCli.record.decision.models.map((m) => m.monthlyCostUsd)).toEqual(rec.data.decision.models.map((m) => m.monthlyCostUsd));
    expect(await runCli(['--data-dir', h.dataDir, 'report', run.id, '--volume', 'lots'], io)).toBe(2);
    expect(await runCli(['--data-dir', h.dataDir, 'report', 'no-such-run', '--volume', '5/day'], io)).toBe(1);
  });

  it('reads daily volumes the way people write them', () => {
    expect(parseVolumeArg('2000/day')).toEqual({ amount: 2000, unit: 'tasks' });
    expect(parseVolumeArg('2k/day')).toEqual({ amount: 2000, unit: 'tasks' });
    expect(parseVolumeArg('5M tokens/day')).toEqual({ amount: 5_000_000, unit: 'tokens' });
    expect(parseVolumeArg('1,500 tasks per day')).toEqual({ amount: 1500, unit: 'tasks' });
    expect(() => parseVolumeArg('2000')).toThrow(/2000\/day/);
    expect(parseHostedArg('local:/m/a@b.gguf@together=0.2/0.6')).toEqual([{ basedOn: 'local:/m/a@b.gguf', host: 'together', inputPerMTok: 0.2, outputPerMTok: 0.6 }]);
    expect(() => parseHostedArg('local:abc=0.2')).toThrow(/<local model>@<host>/);
  });
});
