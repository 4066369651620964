/**
 * The cost model behind the Decide view and the decision record. Pure arithmetic, no I/O, so the
 * renderer, main and the tests compute the same numbers. Every volume is in tasks per day; a
 * null is "unknown" (no price, nothing measured) and is never replaced by 0.
 *
 * The model, stated once:
 * - A remote model (a closed API, or a hosted open-weight endpoint priced per million tokens) costs
 *   a fixed amount per task: its measured tokens per task at the price table's rates. Its monthly
 *   cost is a line through the origin: usdPerTask × tasks/day × DAYS_PER_MONTH.
 * - A local model runs on machines. One machine serves `capacity` tasks a day: its hours of
 *   operation divided by the measured wall time per task, times the requests it serves at once,
 *   divided by the peak factor (capacity is sized for the peak, not the average). Each machine
 *   costs `machineUsdPerMonth` (owned: purchase price spread over its useful life plus power drawn
 *   during its hours of operation; rented: the hourly rent for those hours), and the deployment
 *   adds `fixedUsdPerMonth` (operations) once it has a machine. Monthly cost is therefore a
 *   staircase: F + ceil(V / C) × M, and 0 at zero volume (no machine is needed).
 */

/** 365.25 / 12: the average month. */
export const DAYS_PER_MONTH = 365.25 / 12;

export type CostModelKind = 'local' | 'api' | 'hosted';

export interface CostSettings {
  /** `owned` amortises the purchase; `rented` pays a GPU by the hour. */
  localMode: 'owned' | 'rented';
  hardwareUsd: number;
  hardwareLifeYears: number;
  gpuHourlyUsd: number;
  /** Draw under load; counted for every hour of operation (idle draw is not modelled separately). */
  powerWatts: number;
  electricityUsdPerKWh: number;
  hoursPerDay: number;
  /** Operations (people, monitoring, hosting) per month for the local deployment, once. */
  opsUsdPerMonth: number;
  /** Requests one machine serves at the same time at the measured speed. */
  localParallelism: number;
  /** Peak traffic over average traffic; machines are sized for the peak. */
  peakFactor: number;
}

/** What one model measured in the run, per task (a task is one cell: a case × repeat). */
export interface ModelMeasure {
  ref: string;
  kind: CostModelKind;
  tasks: number;
  successes: number;
  inputTokensPerTask: number | null;
  outputTokensPerTask: number | null;
  /** Mean wall time of a finished task on this machine (local capacity); null when none finished. */
  secondsPerTask: number | null;
  /** USD per million tokens from the price table (remote and hosted); null when the table has none. */
  price: { inputPerMTok: number; outputPerMTok: number } | null;
}

export type CostLine =
  | { shape: 'linear'; usdPerTask: number }
  | { shape: 'stepped'; machineUsdPerMonth: number; fixedUsdPerMonth: number; tasksPerMachinePerDay: number };

/** Monthly cost of one machine: amortised purchase and power, or rent, for the hours of operation. */
export function machineUsdPerMonth(s: CostSettings): number {
  const hoursPerMonth = s.hoursPerDay * DAYS_PER_MONTH;
  if (s.localMode === 'rented') return s.gpuHourlyUsd * hoursPerMonth;
  const amortised = s.hardwareLifeYears > 0 ? s.hardwareUsd / (s.hardwareLifeYears * 12) : 0;
  return amortised + (s.powerWatts / 1000) * hoursPerMonth * s.electricityUsdPerKWh;
}

/** Tasks a day one machine can take, sized for the peak; null when the wall time was not measured. */
export function tasksPerMachinePerDay(secondsPerTask: number | null, s: CostSettings): number | null {
  if (secondsPerTask === null || !(secondsPerTask > 0)) return null;
  return (s.hoursPerDay * 3600 * Math.max(1, s.localParallelism)) / secondsPerTask / Math.max(1, s.peakFactor);
}

/** The line a model's monthly cost follows as volume grows; null when an input is unknown. */
export function costLine(m: ModelMeasure, s: CostSettings): CostLine | null {
  if (m.kind === 'local') {
    const capacity = tasksPerMachinePerDay(m.secondsPerTask, s);
    if (capacity === null) return null;
    return { shape: 'stepped', machineUsdPerMonth: machineUsdPerMonth(s), fixedUsdPerMonth: s.opsUsdPerMonth, tasksPerMachinePerDay: capacity };
  }
  if (!m.price || m.inputTokensPerTask === null || m.outputTokensPerTask === null) return null;
  return { shape: 'linear', usdPerTask: (m.inputTokensPerTask * m.price.inputPerMTok + m.outputTokensPerTask * m.price.outputPerMTok) / 1e6 };
}

/** Machines a local line needs for a volume; float noise (2.0000000001) must not buy a third machine. */
export function machinesFor(line: Extract<CostLine, { shape: 'stepped' }>, tasksPerDay: number): number {
  if (!(tasksPerDay > 0)) return 0;
  return Math.max(1, Math.ceil(tasksPerDay / line.tasksPerMachinePerDay - 1e-9));
}

export function monthlyCost(line: CostLine | null, tasksPerDay: number): number | null {
  if (line === null) return null;
  if (line.shape === 'linear') return line.usdPerTask * Math.max(0, tasksPerDay) * DAYS_PER_MONTH;
  const machines = machinesFor(line, tasksPerDay);
  return machines === 0 ? 0 : line.fixedUsdPerMonth + machines * line.machineUsdPerMonth;
}

/** Average cost of one task at a volume; null at zero volume for a local line (no task to share the cost). */
export function costPerTask(line: CostLine | null, tasksPerDay: number): number | null {
  if (line === null) return null;
  if (line.shape === 'linear') return line.usdPerTask;
  if (!(tasksPerDay > 0)) return null;
  return monthlyCost(line, tasksPerDay)! / (tasksPerDay * DAYS_PER_MONTH);
}

/** Cost per task divided by the share of tasks that passed; null when none passed (no success to pay for). */
export function costPerSuccess(perTask: number | null, m: Pick<ModelMeasure, 'tasks' | 'successes'>): number | null {
  if (perTask === null || m.tasks === 0 || m.successes === 0) return null;
  return perTask / (m.successes / m.tasks);
}

export interface BreakEven {
  /** The smallest volume (tasks/day) at which local costs no more than remote; null: never. */
  firstTasksPerDay: number | null;
  /**
   * From this volume on local is never dearer. Between the first break-even and this, adding a
   * machine makes local dearer again for a stretch; equal to `firstTasksPerDay` when it does not.
   */
  alwaysFromTasksPerDay: number | null;
}

/**
 * Where a local staircase F + ceil(V/C)·M meets a remote line r·D·V, in closed form. In step k
 * ((k−1)C < V ≤ kC) local is no dearer from V = (F + kM)/(rD), which lies inside the step only
 * when k ≥ F/(rDC − M); so no crossing exists unless a full machine's work costs more remotely
 * than the machine (rDC > M). After step k the next machine opens a gap unless
 * F + (k+1)M ≤ rDkC, i.e. gaps end at k ≥ (F + M)/(rDC − M).
 */
export function breakEven(local: CostLine | null, remote: CostLine | null): BreakEven | null {
  if (local === null || remote === null || local.shape !== 'stepped' || remote.shape !== 'linear') return null;
  const rD = remote.usdPerTask * DAYS_PER_MONTH;
  const { machineUsdPerMonth: M, fixedUsdPerMonth: F, tasksPerMachinePerDay: C } = local;
  const margin = rD * C - M;
  if (!(margin > 0)) return { firstTasksPerDay: null, alwaysFromTasksPerDay: null };
  const k1 = Math.max(1, Math.ceil(F / margin - 1e-12));
  const first = (F + k1 * M) / rD;
  const kLast = Math.ceil((F + M) / margin - 1e-12) - 1;
  const always = kLast >= k1 ? (F + (kLast + 1) * M) / rD : first;
  return { firstTasksPerDay: first, alwaysFromTasksPerDay: always };
}

export type VolumeUnit = 'tasks' | 'tokens';

/**
 * Tokens per day become tasks per day at the run's mean tokens (in + out) per task over every
 * model that measured them: the workload's size, so all models are compared on the same work.
 */
export function toTasksPerDay(amount: number, unit: VolumeUnit, meanTokensPerTask: number | null): number | null {
  if (unit === 'tasks') return amount;
  if (meanTokensPerTask === null || !(meanTokensPerTask > 0)) return null;
  return amount / meanTokensPerTask;
}

/** Volume after `months` of compound monthly growth. */
export function grownVolume(tasksPerDay: number, monthlyGrowth: number, months: number): number {
  return tasksPerDay * (1 + monthlyGrowth) ** months;
}

/** Log-spaced volumes for the chart, covering the entered volume and every break-even with room on both sides. */
export function chartVolumes(tasksPerDay: number, marks: readonly number[], points = 64): number[] {
  const known = [tasksPerDay, ...marks].filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.max(1e-3, Math.min(1, ...known.map((v) => v / 10)));
  const hi = Math.max(1000, ...known.map((v) => v * 10));
  const step = (Math.log10(hi) - Math.log10(lo)) / (points - 1);
  return Array.from({ length: points }, (_, i) => 10 ** (Math.log10(lo) + i * step));
}
