import { describe, expect, it } from 'vitest';
import {
  breakEven,
  chartVolumes,
  costLine,
  costPerSuccess,
  costPerTask,
  DAYS_PER_MONTH,
  grownVolume,
  machineUsdPerMonth,
  machinesFor,
  monthlyCost,
  tasksPerMachinePerDay,
  toTasksPerDay,
  type CostLine,
  type ModelMeasure,
} from '../../src/shared/domain/costModel';
import { OWNED_BOX_SETTINGS as settings } from '../helpers/decideFixtures';


const local: ModelMeasure = {
  ref: 'local:a',
  kind: 'local',
  tasks: 10,
  successes: 8,
  inputTokensPerTask: 500,
  outputTokensPerTask: 200,
  secondsPerTask: 2,
  price: null,
};
const remote: ModelMeasure = { ...local, ref: 'openai:gpt-4o-mini', kind: 'api', secondsPerTask: 1, price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } };

describe('cost model arithmetic (hand-computed)', () => {
  it('prices an owned machine as amortised purchase plus power for its hours, a rented one as rent', () => {
    // 3000 / 36 = 83.333…; 0.5 kW × 24 h × 30.4375 d × $0.2 = 73.05
    expect(machineUsdPerMonth(settings)).toBeCloseTo(83.3333 + 73.05, 3);
    // 1.5 $/h × 8 h × 30.4375 d = 365.25
    expect(machineUsdPerMonth({ ...settings, localMode: 'rented', hoursPerDay: 8 })).toBeCloseTo(365.25, 6);
    expect(DAYS_PER_MONTH).toBeCloseTo(30.4375, 6);
  });

  it('sizes a machine for the peak: 24 h × 3600 s / 2 s per task / peak 2 = 21,600 tasks a day', () => {
    expect(tasksPerMachinePerDay(2, settings)).toBe(21_600);
    expect(tasksPerMachinePerDay(2, { ...settings, localParallelism: 4 })).toBe(86_400);
    expect(tasksPerMachinePerDay(null, settings)).toBeNull();
    expect(tasksPerMachinePerDay(0, settings)).toBeNull();
  });

  it('prices a remote task from its tokens: 500 × 0.15 + 200 × 0.6 per million = $0.000195', () => {
    const line = costLine(remote, settings)!;
    expect(line).toEqual({ shape: 'linear', usdPerTask: expect.closeTo(0.000195, 12) });
    expect(monthlyCost(line, 1000)).toBeCloseTo(0.000195 * 1000 * 30.4375, 9);
    expect(costPerTask(line, 1000)).toBeCloseTo(0.000195, 12);
    // 8 of 10 tasks passed: each success costs 1/0.8 tasks.
    expect(costPerSuccess(costPerTask(line, 1000), remote)).toBeCloseTo(0.000195 / 0.8, 12);
  });

  it('charges a local model by the machine: ops once plus one machine per 21,600 tasks a day', () => {
    const line = costLine(local, settings)!;
    const m = machineUsdPerMonth(settings);
    expect(machinesFor(line as Extract<CostLine, { shape: 'stepped' }>, 21_600)).toBe(1);
    expect(machinesFor(line as Extract<CostLine, { shape: 'stepped' }>, 21_601)).toBe(2);
    expect(monthlyCost(line, 1)).toBeCloseTo(100 + m, 9);
    expect(monthlyCost(line, 21_601)).toBeCloseTo(100 + 2 * m, 9);
    expect(costPerTask(line, 21_600)).toBeCloseTo((100 + m) / (21_600 * DAYS_PER_MONTH), 12);
  });

  it('costs nothing at zero volume, and a local task has no average cost then', () => {
    const l = costLine(local, settings);
    const r = costLine(remote, settings);
    expect(monthlyCost(l, 0)).toBe(0);
    expect(monthlyCost(r, 0)).toBe(0);
    expect(costPerTask(l, 0)).toBeNull();
    expect(costPerTask(r, 0)).toBeCloseTo(0.000195, 12);
  });

  it('keeps an unknown price unknown, never 0', () => {
    const unpriced = costLine({ ...remote, price: null }, settings);
    expect(unpriced).toBeNull();
    expect(monthlyCost(unpriced, 1000)).toBeNull();
    expect(costPerTask(unpriced, 1000)).toBeNull();
    expect(breakEven(costLine(local, settings), unpriced)).toBeNull();
    // A local model with no finished task has no measured speed, so no capacity and no cost.
    expect(costLine({ ...local, secondsPerTask: null }, settings)).toBeNull();
  });

  it('gives no cost per success to a run with failures only', () => {
    const failing = { ...remote, successes: 0 };
    expect(costPerSuccess(costPerTask(costLine(failing, settings), 100), failing)).toBeNull();
    expect(costPerSuccess(0.01, { tasks: 0, successes: 0 })).toBeNull();
  });

  it('converts tokens per day with the workload size and grows volume monthly', () => {
    expect(toTasksPerDay(70_000, 'tokens', 700)).toBe(100);
    expect(toTasksPerDay(70_000, 'tokens', null)).toBeNull();
    expect(toTasksPerDay(5, 'tasks', null)).toBe(5);
    expect(grownVolume(1000, 0.1, 12)).toBeCloseTo(1000 * 1.1 ** 12, 9);
  });

  it('spans the chart around the volume and every mark', () => {
    const v = chartVolumes(2000, [50, 1e6]);
    expect(v[0]).toBeLessThanOrEqual(5);
    expect(v.at(-1)).toBeGreaterThanOrEqual(1e7 - 1);
    expect(v.every((x, i) => i === 0 || x > v[i - 1]!)).toBe(true);
  });
});

/** The smallest V (scanning finely) where local ≤ remote, and the V after which it always is. */
function scan(l: CostLine, r: CostLine, max: number, step: number): { first: number | null; always: number | null } {
  let first: number | null = null;
  let lastDearer = 0;
  for (let v = step; v <= max; v += step) {
    const cheaper = monthlyCost(l, v)! <= monthlyCost(r, v)! + 1e-9;
    if (cheaper && first === null) first = v;
    if (!cheaper) lastDearer = v;
  }
  return { first, always: first === null ? null : lastDearer + step };
}

describe('break-even against the closed form and a scan', () => {
  const stepped = (F: number, M: number, C: number): CostLine => ({ shape: 'stepped', fixedUsdPerMonth: F, machineUsdPerMonth: M, tasksPerMachinePerDay: C });
  const linear = (r: number): CostLine => ({ shape: 'linear', usdPerTask: r });

  it('crosses inside the first step at (F + M) / (r·D) and stays below after the last gap', () => {
    // F 100, M 200, C 100/day, r $0.1: rD = 3.04375; first (100+200)/rD = 98.56; gaps close at k = 2 → (100 + 3·200)/rD = 229.98.
    const be = breakEven(stepped(100, 200, 100), linear(0.1))!;
    const rD = 0.1 * DAYS_PER_MONTH;
    expect(be.firstTasksPerDay).toBeCloseTo(300 / rD, 9);
    expect(be.alwaysFromTasksPerDay).toBeCloseTo(700 / rD, 9);
    const s = scan(stepped(100, 200, 100), linear(0.1), 2000, 0.01);
    expect(s.first).toBeCloseTo(be.firstTasksPerDay!, 1);
    expect(s.always).toBeCloseTo(be.alwaysFromTasksPerDay!, 1);
  });

  it('needs several machines before a large fixed cost is paid back', () => {
    // margin rD·C − M = 304.375 − 200 = 104.375; k1 = ceil(1000/104.375) = 10 → first = (1000 + 2000)/rD
    const be = breakEven(stepped(1000, 200, 100), linear(0.1))!;
    expect(be.firstTasksPerDay).toBeCloseTo(3000 / (0.1 * DAYS_PER_MONTH), 9);
    const s = scan(stepped(1000, 200, 100), linear(0.1), 3000, 0.01);
    expect(s.first).toBeCloseTo(be.firstTasksPerDay!, 1);
    expect(s.always).toBeCloseTo(be.alwaysFromTasksPerDay!, 1);
  });

  it('without fixed cost crosses at M / (r·D) and has no gap when a machine pays for itself twice', () => {
    const be = breakEven(stepped(0, 50, 100), linear(0.1))!;
    expect(be.firstTasksPerDay).toBeCloseTo(50 / (0.1 * DAYS_PER_MONTH), 9);
    expect(be.alwaysFromTasksPerDay).toBe(be.firstTasksPerDay);
  });

  it('never breaks even when a full machine of remote work costs less than the machine', () => {
    expect(breakEven(stepped(0, 500, 100), linear(0.1))).toEqual({ firstTasksPerDay: null, alwaysFromTasksPerDay: null });
    expect(breakEven(stepped(0, 500, 100), linear(0))).toEqual({ firstTasksPerDay: null, alwaysFromTasksPerDay: null });
    expect(scan(stepped(0, 500, 100), linear(0.1), 1000, 0.5).first).toBeNull();
  });

  it('matches a scan over random cases', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 25; i++) {
      const l = stepped(Math.round(rnd() * 300), 20 + Math.round(rnd() * 200), 20 + Math.round(rnd() * 80));
      const r = linear(0.05 + rnd() * 0.2);
      const be = breakEven(l, r)!;
      const s = scan(l, r, 3000, 0.05);
      if (be.firstTasksPerDay === null) expect(s.first).toBeNull();
      else {
        expect(Math.abs(s.first! - be.firstTasksPerDay)).toBeLessThan(0.06);
        expect(Math.abs(s.always! - be.alwaysFromTasksPerDay!)).toBeLessThan(0.06);
      }
    }
  });
});
