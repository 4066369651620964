import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalServiceFor } from '../helpers/evalService';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { Store } from '../../src/main/core/store/Store';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import type { SuiteSpecInput } from '../../src/shared/domain/evals';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { CannedProvider } from '../helpers/evalFakes';
import { tempDir } from '../helpers/tmp';

/** 8 cases; the canned model upper-cases the prompt, so `contains` on an upper-case word passes for even cases only. */
const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

function suite(cases = 8): SuiteSpecInput {
  return {
    name: 'runner suite',
    prompts: [{ template: 'word {{w}}' }],
    providers: [{ id: 'local:a', params: { temperature: 0 } }, { id: 'local:b' }],
    cases: Array.from({ length: cases }, (_, i) => ({
      id: `c${String(i).padStart(2, '0')}`,
      vars: { w: `w${i}` },
      assert: [{ type: 'contains', value: i % 2 === 0 ? `W${i}` : `nope${i}` }],
    })),
  };
}

function setup(path: string, provider: CannedProvider, bus = new EventBus()) {
  const store = Store.open({ path });
  const providers = new ProviderRegistry();
  providers.register(provider);
  const generation = new GenerationService(providers, { policy: { maxRetries: 0 } });
  const evals = evalServiceFor({ store, generation, providers, bus, sandbox, rateLimitBackoffMs: 5 });
  return { store, evals, bus };
}

const key = (c: { caseId: string; modelId: string; repeat: number }): string => `${c.caseId}/${c.modelId}/${c.repeat}`;

describe('EvalRunner', () => {
  it('runs models × cases × repeats with identical prompts and stores request, output, assertions, metrics', async () => {
    using dir = tempDir();
    const provider = new CannedProvider();
    const { store, evals, bus } = setup(join(dir.path, 'p.db'), provider);
    const progress: number[] = [];
    bus.on('evals.progress', (p) => progress.push(p.done));
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(4)));
    const run = await evals.createRun({ suiteId: s.id, repeat: 2, params: { seed: 7 } });
    const done = await evals.execute(run.id);
    expect(done).toMatchObject({ status: 'completed', totalCells: 16, doneCells: 16, passedCells: 8 });
    expect(provider.calls).toHaveLength(16);
    const results = evals.results(run.id);
    const a = results.cells.find((c) => c.caseId === 'c00' && c.modelId === 'local:a' && c.repeat === 1)!;
    const b = results.cells.find((c) => c.caseId === 'c00' && c.modelId === 'local:b' && c.repeat === 1)!;
    expect(a.request.messages).toEqual([{ role: 'user', content: 'word w0' }]);
    expect(b.request.messages).toEqual(a.request.messages);
    // Repeat 1 samples with seed 7 + 1: a fixed seed would make every repeat a copy of repeat 0.
    expect(a.request.params).toMatchObject({ temperature: 0, seed: 8 });
    expect(results.cells.find((c) => c.caseId === 'c00' && c.modelId === 'local:a' && c.repeat === 0)!.request.params.seed).toBe(7);
    expect(a.output).toBe('WORD W0');
    expect(a.assertions[0]).toMatchObject({ type: 'contains', pass: true });
    expect(a.metrics.stopReason).toBe('eos');
    expect(results.scorecards.map((x) => x.passRate)).toEqual([0.5, 0.5]);
    // 16 cells are 4 cases per model: the paired test counts cases.
    expect(results.pairedTests[0]).toMatchObject({ unit: 'case', pairs: 4, onlyA: 0, onlyB: 0, pValue: 1 });
    expect(progress.at(-1)).toBe(16);
    // The run card: app version, suite version, exact prompts, per-model params, facts from metrics.
    const detail = evals.getRun(run.id);
    expect(detail.runCard).toMatchObject({ appVersion: 'test', suiteVersion: 1, prompts: [{ template: 'word {{w}}' }], repeat: 2 });
    expect(detail.runCard.models[0]).toMatchObject({ id: 'local:a', sha256: 'ab'.repeat(32), params: { temperature: 0, seed: 7 }, seeds: [7, 8] });
    await evals.dispose();
    store.dispose();
  });

  it('runs local cells in parallel up to the concurrency', async () => {
    using dir = tempDir();
    const provider = new CannedProvider({ delayMs: 20 });
    const { store, evals } = setup(join(dir.path, 'p.db'), provider);
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(8)));
    const run = await evals.createRun({ suiteId: s.id, models: ['local:a'], concurrency: 3 });
    await evals.execute(run.id);
    expect(provider.maxInFlight).toBe(3);
    await evals.dispose();
    store.dispose();
  });

  it('backs off on rate limits and still finishes every cell', async () => {
    using dir = tempDir();
    const provider = new CannedProvider({ id: 'openai', local: false, rateLimitOn: new Set([1, 2, 3]), delayMs: 5 });
    const { store, evals } = setup(join(dir.path, 'p.db'), provider);
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(6)));
    const run = await evals.createRun({ suiteId: s.id, models: ['openai:gpt-x'], concurrency: 4 });
    const done = await evals.execute(run.id);
    expect(done.doneCells).toBe(6);
    expect(evals.results(run.id).cells.every((c) => c.status === 'done')).toBe(true);
    expect(provider.calls).toHaveLength(9);
    await evals.dispose();
    store.dispose();
  });

  it('cancel keeps finished cells; resume finishes without redoing them', async () => {
    using dir = tempDir();
    const provider = new CannedProvider({ delayMs: 10 });
    const { store, evals, bus } = setup(join(dir.path, 'p.db'), provider);
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(8)));
    const run = await evals.createRun({ suiteId: s.id });
    const controller = new AbortController();
    let seen = 0;
    bus.on('evals.cellDone', () => {
      if (++seen === 5) controller.abort();
    });
    const stopped = await evals.execute(run.id, { signal: controller.signal });
    expect(stopped.status).toBe('cancelled');
    const firstCells = new Set(evals.results(run.id).cells.map(key));
    expect(firstCells.size).toBeGreaterThanOrEqual(5);
    expect(firstCells.size).toBeLessThan(16);
    const before = provider.calls.length;
    const again = await evals.execute(run.id);
    expect(again).toMatchObject({ status: 'completed', doneCells: 16, passedCells: 8 });
    const rerun = provider.calls.slice(before).map((c) => c.prompt);
    expect(rerun.length).toBe(16 - firstCells.size);
    await evals.dispose();
    store.dispose();
  });

  it('after a crash mid-run, reopening marks the run interrupted and resume finishes with the same totals', async () => {
    using dir = tempDir();
    const path = join(dir.path, 'p.db');
    // Baseline: the same run uninterrupted, on its own database.
    const clean = setup(join(dir.path, 'clean.db'), new CannedProvider());
    const cs = clean.evals.createSuite(SuiteSpecSchema.parse(suite(8)));
    const cleanRun = await clean.evals.execute((await clean.evals.createRun({ suiteId: cs.id })).id);
    const cleanCells = clean.evals.results(cleanRun.id).cells.map((c) => [key(c), c.pass, c.output]);
    await clean.evals.dispose();
    clean.store.dispose();

    // Session 1: the database goes away under the runner after 6 cells (as in a crash).
    const provider1 = new CannedProvider({ delayMs: 5 });
    const first = setup(path, provider1);
    const s = first.evals.createSuite(SuiteSpecSchema.parse(suite(8)));
    const run = await first.evals.createRun({ suiteId: s.id });
    let seen = 0;
    first.bus.on('evals.cellDone', () => {
      if (++seen === 6) first.store.dispose();
    });
    await expect(first.evals.execute(run.id)).rejects.toThrow();
    await first.evals.dispose();

    // Session 2: a fresh process on the same file.
    const provider2 = new CannedProvider({ delayMs: 5 });
    const second = setup(path, provider2);
    expect(second.evals.getRun(run.id).status).toBe('interrupted');
    const persisted = new Set(second.evals.results(run.id).cells.map(key));
    expect(persisted.size).toBe(6);
    const resumed = await second.evals.execute(run.id);
    expect(resumed).toMatchObject({ status: 'completed', doneCells: 16, passedCells: cleanRun.passedCells });
    // Only the missing cells were generated again.
    expect(provider2.calls).toHaveLength(16 - persisted.size);
    const rerunKeys = new Set(second.evals.results(run.id).cells.filter((c) => !persisted.has(key(c))).map(key));
    expect(rerunKeys.size).toBe(10);
    expect(second.evals.results(run.id).cells.map((c) => [key(c), c.pass, c.output])).toEqual(cleanCells);
    await second.evals.dispose();
    second.store.dispose();
  });

  it('an unknown model fails at start, before anything is stored', async () => {
    using dir = tempDir();
    const { store, evals } = setup(join(dir.path, 'p.db'), new CannedProvider());
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(2)));
    await expect(evals.createRun({ suiteId: s.id, models: ['anthropic:nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(evals.listRuns()).toHaveLength(0);
    await evals.dispose();
    store.dispose();
  });

  it('compare flags regressions against a baseline run', async () => {
    using dir = tempDir();
    let good = true;
    const provider = new CannedProvider({ answer: (_m, p) => (good ? p.toUpperCase() : 'nothing') });
    const { store, evals } = setup(join(dir.path, 'p.db'), provider);
    const s = evals.createSuite(SuiteSpecSchema.parse(suite(4)));
    const base = await evals.execute((await evals.createRun({ suiteId: s.id, models: ['local:a'] })).id);
    good = false;
    const now = await evals.execute((await evals.createRun({ suiteId: s.id, models: ['local:a'] })).id);
    const cmp = evals.compare(now.id, base.id);
    expect(cmp.regressed).toBe(true);
    expect(cmp.regressions.map((r) => r.caseId)).toEqual(['c00', 'c02']);
    expect(cmp.models[0]).toMatchObject({ passRate: 0, baselinePassRate: 0.5, dropped: true });
    await evals.dispose();
    store.dispose();
  });
});
