import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { breakEvenSvg } from '../../src/main/core/decide/decisionRecord';
import { evaluateDecision } from '../../src/main/core/decide/evaluateDecision';
import { DecideChart } from '../../src/renderer/evals/decide/DecideChart';
import type { BreakEvenEntry, Decision, ModelDecision } from '../../src/shared/contract/decide';
import { BREAK_EVEN_GEOMETRY, breakEvenLayout } from '../../src/shared/domain/breakEvenLayout';
import { DAYS_PER_MONTH } from '../../src/shared/domain/costModel';
import { fakeRun, OWNED_BOX_SETTINGS } from '../helpers/decideFixtures';

function model(ref: string, kind: ModelDecision['kind'], line: ModelDecision['line']): ModelDecision {
  return {
    ref, kind, line, passRate: 1, passRateCI95: [1, 1], cases: 1, tasks: 1, successes: 1, latencyMsP95: null, inputTokensPerTask: null, outputTokensPerTask: null,
    secondsPerTask: null, price: null, costPerTaskUsd: null, costPerSuccessUsd: null, monthlyCostUsd: null, monthlyCostIn12MonthsUsd: null, machines: null, estimate: false, unknownReason: null,
  };
}

type ChartInput = Pick<Decision, 'chart' | 'models' | 'breakEvens' | 'tasksPerDay'>;

/** A local box at a flat $300/month against an API at a cent a task, from 1 to 10,000 tasks a day. */
function input(over: Partial<ChartInput> = {}): ChartInput {
  const volumes = [1, 10, 100, 1000, 10_000];
  const models = [model('local:box', 'local', { shape: 'stepped', machineUsdPerMonth: 300, fixedUsdPerMonth: 0, tasksPerMachinePerDay: 1e9 }), model('openai:mini', 'api', { shape: 'linear', usdPerTask: 0.01 })];
  const breakEvens: BreakEvenEntry[] = [{ local: 'local:box', remote: 'openai:mini', remoteKind: 'api', firstTasksPerDay: 300 / (0.01 * DAYS_PER_MONTH), alwaysFromTasksPerDay: null, note: '' }];
  const chart = { volumes, series: [{ ref: 'local:box', monthlyUsd: volumes.map(() => 300) }, { ref: 'openai:mini', monthlyUsd: volumes.map((v) => 0.01 * v * DAYS_PER_MONTH) }] };
  return { chart, models, breakEvens, tasksPerDay: 500, ...over };
}

const { left, right, top } = { left: BREAK_EVEN_GEOMETRY.pad.left, right: BREAK_EVEN_GEOMETRY.width - BREAK_EVEN_GEOMETRY.pad.right, top: BREAK_EVEN_GEOMETRY.pad.top };
const bottom = BREAK_EVEN_GEOMETRY.height - BREAK_EVEN_GEOMETRY.pad.bottom;

describe('break-even chart layout', () => {
  it('puts a tick at each power of ten, evenly spaced on both log axes', () => {
    const layout = breakEvenLayout(input())!;
    expect(layout.xTicks.map((t) => t.label)).toEqual(['1', '10', '100', '1k', '10k']);
    expect(layout.xTicks.map((t) => t.at)).toEqual([0, 1, 2, 3, 4].map((i) => Math.round((left + (i * (right - left)) / 4) * 10) / 10));
    // Costs run from $0.30 to $3,044: the axis spans whole decades, $0.10 to $10,000.
    expect(layout.yTicks.map((t) => t.value)).toEqual([0.1, 1, 10, 100, 1000, 10_000]);
    expect(layout.yTicks[0]!.at).toBe(bottom);
    expect(layout.yTicks.at(-1)!.at).toBe(top);
    expect(layout.yTicks.map((t) => t.label)).toEqual(['$0.10', '$1.00', '$10.00', '$100.00', '$1,000.00', '$10,000.00']);
  });

  it('marks the break-even where the remote line crosses the local one', () => {
    const layout = breakEvenLayout(input())!;
    const be = 300 / (0.01 * DAYS_PER_MONTH); // ≈ 986 tasks/day, at $300/month
    expect(layout.marks).toHaveLength(1);
    const m = layout.marks[0]!;
    expect(m.cx).toBeCloseTo(left + (Math.log10(be) / 4) * (right - left), 0);
    expect(m.cy).toBeCloseTo(bottom - ((Math.log10(300) + 1) / 5) * (bottom - top), 0);
    expect(m.label).toBe('break-even local:box / openai:mini: 986 tasks/day');
    // The mark lies on the local line, which is flat at $300 a month.
    expect(layout.series[0]!.points.split(' ').every((p) => Number(p.split(',')[1]) === m.cy)).toBe(true);
    expect(layout.volumeX).toBeCloseTo(left + (Math.log10(500) / 4) * (right - left), 0);
  });

  it('leaves off what is not on the chart: $0 and unknown costs, a volume or break-even past the range', () => {
    const base = input();
    const layout = breakEvenLayout({
      ...base,
      tasksPerDay: 50_000,
      breakEvens: [{ ...base.breakEvens[0]!, firstTasksPerDay: 20_000 }],
      chart: { ...base.chart, series: [{ ref: 'local:box', monthlyUsd: [0, null, 300, 300, 300] }, base.chart.series[1]!] },
    })!;
    expect(layout.series[0]!.points.split(' ')).toHaveLength(3);
    expect(layout.volumeX).toBeNull();
    expect(layout.marks).toEqual([]);
  });

  it('has nothing to chart without two volumes or a cost above $0, and gives a lone cost a whole decade', () => {
    expect(breakEvenLayout(input({ chart: { volumes: [], series: [] } }))).toBeNull();
    expect(breakEvenLayout(input({ chart: { volumes: [100], series: [{ ref: 'local:box', monthlyUsd: [300] }] } }))).toBeNull();
    expect(breakEvenLayout(input({ chart: { volumes: [1, 10], series: [{ ref: 'local:box', monthlyUsd: [0, null] }] } }))).toBeNull();
    const lone = breakEvenLayout(input({ chart: { volumes: [1, 10], series: [{ ref: 'local:box', monthlyUsd: [100, 100] }] } }))!;
    expect(lone.yTicks.map((t) => t.value)).toEqual([100, 1000]);
    expect(lone.series[0]!.points).toBe(`${left},${bottom} ${right},${bottom}`);
  });

  it('draws the same lines and marks in the Decide view and the decision record', () => {
    const { results } = fakeRun([
      { ref: 'local:small', passes: (i) => i < 15, promptTokens: 400, completionTokens: 100, totalMs: 480 },
      { ref: 'openai:gpt-4o-mini', passes: (i) => i < 19, promptTokens: 400, completionTokens: 100, totalMs: 900 },
    ]);
    const prices = (ref: string) => (ref === 'openai:gpt-4o-mini' ? { inputPerMTok: 0.15, outputPerMTok: 0.6 } : null);
    const decision = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.7 } }, results, prices, OWNED_BOX_SETTINGS);
    const app = renderToStaticMarkup(createElement(DecideChart, { decision }));
    const record = breakEvenSvg(decision);
    const shapes = (html: string) => ({
      lines: [...html.matchAll(/<polyline[^>]* points="([^"]+)"/g)].map((m) => m[1]),
      marks: [...html.matchAll(/<circle[^>]* cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [m[1], m[2]]),
      svg: /<svg[^>]* viewBox="([^"]+)"[^>]*role="img"/.exec(html)?.[1],
    });
    expect(shapes(app).lines).toHaveLength(2);
    expect(shapes(app).marks).toHaveLength(1);
    expect(shapes(record)).toEqual(shapes(app));
  });
});
