import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../src/main/core/audit/AuditRepository';
import { auditSummaryFor, DecideService } from '../../src/main/core/decide/DecideService';
import { parseDecisionRecord } from '../../src/main/core/decide/decisionRecord';
import type { CostSettings } from '../../src/shared/domain/costModel';
import { fakeRun } from '../helpers/decideFixtures';

const settings: CostSettings = {
  localMode: 'owned',
  hardwareUsd: 2500,
  hardwareLifeYears: 3,
  gpuHourlyUsd: 0.8,
  powerWatts: 350,
  electricityUsdPerKWh: 0.15,
  hoursPerDay: 24,
  opsUsdPerMonth: 200,
  localParallelism: 1,
  peakFactor: 2,
};

const base = { promptTokens: 400, completionTokens: 100 };
const { results, card } = fakeRun([
  { ref: 'local:small', passes: (i) => i < 17, ...base, totalMs: 500 },
  { ref: 'openai:gpt-4o-mini', passes: (i) => i < 19, ...base, totalMs: 900 },
]);

function row(id: number, time: string, model: string | null, host: string, bytes: number): AuditRow {
  return { id, time, provider: 'openai', host, model, purpose: 'generation', inputTokens: 1, outputTokens: 1, bytesSent: bytes, bytesReceived: 2 * bytes, status: 'ok', httpStatus: 200, requestId: null, promptText: null, responseText: null, prevHash: 'x', hash: 'y' };
}

const verify = { ok: true, rows: 3, brokenAtId: null, brokenAtRow: null, reason: null, unkeyedRows: 0, keyedFromId: 1 };
const rows = [
  row(1, '2025-12-31T23:00:00Z', 'gpt-4o-mini', 'api.openai.com', 999), // before the run
  row(2, '2026-01-01T00:01:00Z', 'gpt-4o-mini', 'api.openai.com', 100),
  row(3, '2026-01-01T00:02:00Z', 'gpt-4o-mini', 'api.openai.com', 50),
  row(4, '2026-01-01T00:03:00Z', 'other-model', 'elsewhere.example', 7),
];

function service(): DecideService {
  return new DecideService({
    results: () => results,
    runCard: () => card,
    price: (ref) => (ref === 'openai:gpt-4o-mini' ? { inputPerMTok: 0.15, outputPerMTok: 0.6 } : null),
    costSettings: () => settings,
    describe: async (ref) => (ref.startsWith('local:') ? { licence: 'apache-2.0', dataGoesTo: 'on this device' } : { licence: null, dataGoesTo: 'api.openai.com' }),
    audit: { all: () => rows, verify: () => verify },
    appVersion: '9.9.9',
    now: () => new Date('2026-01-02T00:00:00Z'),
  });
}

describe('decision record', () => {
  it('embeds its own data, which parses back to exactly what was written', async () => {
    const out = await service().record({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.8 }, question: 'Close </script><b>the</b> ticket bot?' });
    expect(out.filename).toMatch(/^decision-support-answers-run-d\.html$/);
    const back = parseDecisionRecord(out.content);
    expect(back).toEqual(out.data);
    expect(back.question).toBe('Close </script><b>the</b> ticket bot?');
    // The question is shown escaped and cannot end the data element early.
    expect(out.content).toContain('Close &lt;/script&gt;&lt;b&gt;the&lt;/b&gt; ticket bot?');
    expect(out.content.match(/<\/script>/g)).toHaveLength(1);
  });

  it('shows the models, intervals, paired test, costs, break-even chart, rule and settings, and loads nothing', async () => {
    const { content, data } = await service().record({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.8 } });
    expect(data.modelFacts).toEqual([
      { ref: 'local:small', licence: 'apache-2.0', identity: 'ab'.repeat(32), dataGoesTo: 'on this device' },
      { ref: 'openai:gpt-4o-mini', licence: null, identity: 'gpt-4o-mini', dataGoesTo: 'api.openai.com' },
    ]);
    for (const text of ['Which model should run “support answers” at 2,000 tasks a day?', '[', 'Paired tests', 'Break-even', '<svg', 'Rule: Lowest cost per successful task', 'Peak factor', 'Audit chain verified', 'Local costs are estimates']) {
      expect(content).toContain(text);
    }
    expect(content).toContain("default-src 'none'");
    expect(content).not.toMatch(/\s(src|href)=/);
    expect(content).toContain('@media print');
  });

  it('lists a what-if hosted line among the models, with its local model’s licence and file', async () => {
    const { data, content } = await service().record({ runId: 'run-d', volume: { amount: 2000 }, hosted: [{ basedOn: 'local:small', host: 'together', inputPerMTok: 0.2, outputPerMTok: 0.2 }], rule: { kind: 'cheapest-above-pass', minPassRate: 0.8 } });
    expect(data.modelFacts.at(-1)).toEqual({ ref: 'local:small @ together', licence: 'apache-2.0', identity: 'ab'.repeat(32), dataGoesTo: 'the hosted endpoint (a what-if: nothing was sent)' });
    expect(content).toContain('hosted open-weight');
    expect(parseDecisionRecord(content)).toEqual(data);
  });

  it('summarises the run’s outbound requests per host, not the log’s whole history', () => {
    const summary = auditSummaryFor(results, rows, verify);
    expect(summary.hosts).toEqual([{ host: 'api.openai.com', requests: 2, bytesSent: 150, bytesReceived: 300 }]);
    expect(summary.chainOk).toBe(true);
  });

  it('refuses to record a run that is still going, and a file that is not a record', async () => {
    const running = new DecideService({ results: () => ({ ...results, run: { ...results.run, status: 'running' } }), runCard: () => card, price: () => null, costSettings: () => settings, describe: async () => ({ licence: null, dataGoesTo: '' }), audit: { all: () => [], verify: () => verify }, appVersion: 'x' });
    await expect(running.record({ runId: 'run-d', volume: { amount: 1 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0 } })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => parseDecisionRecord('<html>hello</html>')).toThrow(/not a Parity decision record/);
    expect(() => parseDecisionRecord('<script type="application/json" id="parity-decision-data">{"format":"x"}</script>')).toThrow(/does not validate at format/);
  });

  it('re-imports a record and evaluates a later run under the same volume, rule and settings', async () => {
    const svc = service();
    const { content } = await svc.record({ runId: 'run-d', volume: { amount: 5000 }, overrides: { peakFactor: 3 }, rule: { kind: 'best-pass-under-budget', budgetUsdPerMonth: 100 } });
    const { record, later } = svc.importRecord(content, 'run-d');
    expect(record.decision.volume.amount).toBe(5000);
    expect(later).not.toBeNull();
    expect(later!.settings.peakFactor).toBe(3);
    expect(later!.recommendation.rule).toEqual({ kind: 'best-pass-under-budget', budgetUsdPerMonth: 100 });
    expect(later!.models.map((m) => m.monthlyCostUsd)).toEqual(record.decision.models.map((m) => m.monthlyCostUsd));
  });
});
