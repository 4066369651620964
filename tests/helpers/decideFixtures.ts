import { DecideService } from '../../src/main/core/decide/DecideService';
import type { PriceLookup } from '../../src/main/core/decide/evaluateDecision';
import { allPairedTests, scorecard } from '../../src/main/core/evals/results';
import type { CostSettings } from '../../src/shared/domain/costModel';
import { COMPARE_PENDING } from '../../src/shared/domain/cellGrading';
import type { EvalCell, RunCard, RunResults } from '../../src/shared/domain/evals';
import { emptyMetrics } from '../../src/shared/domain/generation';

/**
 * An owned $3,000 machine written off over 3 years, drawing 500 W at $0.20/kWh around the clock,
 * $100/month to run, one task at a time, peak twice the average: the settings the cost tests
 * work out by hand.
 */
export const OWNED_BOX_SETTINGS: CostSettings = {
  localMode: 'owned',
  hardwareUsd: 3000,
  hardwareLifeYears: 3,
  gpuHourlyUsd: 1.5,
  powerWatts: 500,
  electricityUsdPerKWh: 0.2,
  hoursPerDay: 24,
  opsUsdPerMonth: 100,
  localParallelism: 1,
  peakFactor: 2,
};

/** gpt-4o-mini at $0.15 / $0.60 per million tokens in / out; every other model (the local ones) has no price. */
export const GPT_4O_MINI_PRICES: PriceLookup = (ref) => (ref === 'openai:gpt-4o-mini' ? { inputPerMTok: 0.15, outputPerMTok: 0.6 } : null);

/**
 * Decide over one fake run, priced by GPT_4O_MINI_PRICES under OWNED_BOX_SETTINGS: local models
 * keep the data on this device, the others send it to api.openai.com; no licences, an empty
 * verified audit log, app 9.9.9 writing on 2026-01-02.
 */
export function decideServiceFor(run: { results: RunResults; card: RunCard }): DecideService {
  return new DecideService({
    results: () => run.results,
    runCard: () => run.card,
    price: GPT_4O_MINI_PRICES,
    costSettings: () => OWNED_BOX_SETTINGS,
    describe: async (ref) => (ref.startsWith('local:') ? { licence: null, dataGoesTo: 'on this device' } : { licence: null, dataGoesTo: 'api.openai.com' }),
    audit: { all: () => [], verify: () => ({ ok: true, rows: 0, brokenAtId: null, brokenAtRow: null, reason: null, unkeyedRows: 0, keyedFromId: null }) },
    appVersion: '9.9.9',
    now: () => new Date('2026-01-02T00:00:00Z'),
  });
}

export interface FakeModel {
  ref: string;
  /** Which of the cases (by index) pass. */
  passes: (caseIndex: number) => boolean;
  promptTokens: number;
  completionTokens: number;
  totalMs: number;
  /** Cells that errored (no tokens, no time). */
  errors?: (caseIndex: number) => boolean;
  /** Finished cells whose select-best comparison never ran (the run stopped before its post-pass): not graded. */
  ungraded?: (caseIndex: number) => boolean;
}

/** A finished run of `cases` cases, one repeat, with the given per-model outcomes and measurements. */
export function fakeRun(models: FakeModel[], cases = 20): { results: RunResults; card: RunCard } {
  const cells: EvalCell[] = [];
  for (const m of models) {
    const [provider, model] = [m.ref.slice(0, m.ref.indexOf(':')), m.ref.slice(m.ref.indexOf(':') + 1)];
    for (let i = 0; i < cases; i++) {
      const error = m.errors?.(i) ?? false;
      const ungraded = !error && (m.ungraded?.(i) ?? false);
      cells.push({
        runId: 'run-d',
        caseId: `c${i}`,
        modelId: m.ref,
        repeat: 0,
        status: error ? 'error' : 'done',
        request: { messages: [{ role: 'user', content: `q${i}` }], params: {} },
        output: error ? '' : `a${i}`,
        // Stored as not passed until the comparison runs, as EvalRunner stores it.
        pass: !error && !ungraded && m.passes(i),
        score: !error && !ungraded && m.passes(i) ? 1 : 0,
        assertions: ungraded ? [{ type: 'select-best', metric: null, pass: false, score: 0, weight: 1, reason: COMPARE_PENDING, skipped: COMPARE_PENDING }] : [],
        metrics: error
          ? { ...emptyMetrics(provider, model), error: { code: 'PROVIDER_UNAVAILABLE', message: 'down' } }
          : { ...emptyMetrics(provider, model), host: provider === 'local' ? null : 'api.example.com', promptTokens: m.promptTokens, completionTokens: m.completionTokens, totalMs: m.totalMs, stopReason: 'eos' },
        error: error ? { code: 'PROVIDER_UNAVAILABLE', message: 'down' } : null,
        finishedAt: '2026-01-01T00:05:00Z',
      });
    }
  }
  const refs = models.map((m) => m.ref);
  const card: RunCard = {
    appVersion: 'test',
    suiteId: 's',
    suiteVersion: 3,
    suiteName: 'support answers',
    createdAt: '2026-01-01T00:00:00Z',
    repeat: 1,
    params: {},
    models: refs.map((id) => {
      const provider = id.slice(0, id.indexOf(':'));
      return { id, label: null, provider, sha256: provider === 'local' ? 'ab'.repeat(32) : null, providerModelId: provider === 'local' ? null : id.slice(id.indexOf(':') + 1), quantization: null, backend: null, threads: null, gpuLayers: null, params: {}, seeds: null };
    }),
    prompts: [{ template: '{{q}}' }],
    platform: 'linux',
    arch: 'x64',
  };
  const run = {
    id: 'run-d',
    suiteId: 's',
    suiteVersion: 3,
    suiteName: 'support answers',
    status: 'completed' as const,
    models: refs,
    repeat: 1,
    totalCells: cells.length,
    doneCells: cells.length,
    passedCells: cells.filter((c) => c.pass).length,
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:10:00Z',
    error: null,
  };
  const caseList = Array.from({ length: cases }, (_, i) => ({ caseId: `c${i}`, description: null, promptLabel: null, vars: {}, definition: `d${i}` }));
  return { results: { run, models: refs, cases: caseList, cells, scorecards: refs.map((r) => scorecard(r, cells)), pairedTests: allPairedTests(refs, cells) }, card };
}
