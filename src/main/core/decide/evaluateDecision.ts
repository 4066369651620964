import { DecideInputSchema, type BreakEvenEntry, type DecideInput, type Decision, type ModelDecision } from '../../../shared/contract/decide';
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
  toTasksPerDay,
  type CostModelKind,
  type CostSettings,
  type ModelMeasure,
} from '../../../shared/domain/costModel';
import { cellVerdict } from '../../../shared/domain/cellGrading';
import type { RunResults } from '../../../shared/domain/evals';
import * as modelRef from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import { formatUsd } from '../../../shared/format';
import { recommend } from './recommend';

export type PriceLookup = (ref: string) => { inputPerMTok: number; outputPerMTok: number } | null;

export function kindOf(ref: string): CostModelKind {
  if (modelRef.isLocal(ref)) return 'local';
  return modelRef.parse(ref).provider === modelRef.COMPAT_PROVIDER ? 'hosted' : 'api';
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Only the two rates: a price-table entry carries more, which must not leak into the record's data. */
function pickRates(p: ReturnType<PriceLookup>): ModelMeasure['price'] {
  return p ? { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok } : null;
}

/** Cells of a model whose comparison never ran: neither a success nor a failure. */
export function ungradedTasks(results: RunResults, ref: string): number {
  return results.cells.filter((c) => c.modelId === ref && cellVerdict(c) === 'ungraded').length;
}

/**
 * A model's per-task measurements: tokens and wall time over its finished tasks (they were paid
 * for, graded or not), successes over its graded tasks (an errored one is a failure; one whose
 * comparison never ran is unknown and left out, as from the scorecard's pass rate).
 */
export function measure(results: RunResults, ref: string, price: PriceLookup): ModelMeasure {
  const mine = results.cells.filter((c) => c.modelId === ref);
  const done = mine.filter((c) => c.status === 'done');
  const graded = mine.filter((c) => cellVerdict(c) !== 'ungraded');
  const kind = kindOf(ref);
  return {
    ref,
    kind,
    tasks: graded.length,
    successes: graded.filter((c) => c.pass).length,
    inputTokensPerTask: mean(done.flatMap((c) => (c.metrics.promptTokens === null ? [] : [c.metrics.promptTokens]))),
    outputTokensPerTask: mean(done.flatMap((c) => (c.metrics.completionTokens === null ? [] : [c.metrics.completionTokens]))),
    // Loading the model is once per process, not per task: a machine in service has it loaded.
    secondsPerTask: mean(done.map((c) => (c.metrics.totalMs - Math.min(c.metrics.loadMs ?? 0, c.metrics.totalMs)) / 1000)),
    price: kind === 'local' ? null : pickRates(price(ref)),
  };
}

function unknownReason(m: ModelMeasure, tasksPerDay: number | null): string | null {
  if (tasksPerDay === null) return 'the volume in tokens cannot be converted to tasks: no model measured its tokens';
  if (m.kind === 'local') return m.secondsPerTask === null ? 'no task finished, so its speed on this machine is unknown' : null;
  if (!m.price) return `no price for ${m.ref} in the price table (Settings → Providers → Prices)`;
  if (m.inputTokensPerTask === null || m.outputTokensPerTask === null) return 'no token counts were measured';
  return null;
}

function breakEvenNote(local: ModelDecision, remote: ModelDecision, first: number | null, always: number | null): string {
  const n = (v: number): string => `${Math.round(v).toLocaleString('en-US')} tasks/day`;
  if (local.line === null || remote.line === null) return `unknown: ${local.line === null ? local.unknownReason : remote.unknownReason}`;
  if (first === null) return `${remote.ref} stays cheaper at every volume: a machine's full load costs less remotely than the machine.`;
  const gap = always !== null && always > first * (1 + 1e-9) ? `; just after each added machine ${remote.ref} is cheaper again, until ${n(always)}, from where ${local.ref} stays cheaper` : '';
  return `${local.ref} is cheaper from ${n(first)}${gap}.`;
}

/** "4 tasks of local:a, 1 of openai:b": the counts left out of the success rates, said where they apply. */
function ungradedNote(models: readonly ModelDecision[]): string | null {
  const counts = models.filter((m) => !m.basedOn && (m.ungradedTasks ?? 0) > 0).map((m, i) => `${m.ungradedTasks}${i === 0 ? ` task${m.ungradedTasks === 1 ? '' : 's'}` : ''} of ${m.ref}`);
  return counts.length ? `Left out as not graded (a select-best / max-score comparison that never ran): ${counts.join(', ')}.` : null;
}

/** The model behind every number, in words and with the settings' values, for the view and the record. */
function assumptions(s: CostSettings, meanTokens: number | null, ungraded: string | null): string[] {
  const machine = formatUsd(machineUsdPerMonth(s));
  const hardware =
    s.localMode === 'rented'
      ? `Local models run on rented GPUs at ${formatUsd(s.gpuHourlyUsd)}/h for ${s.hoursPerDay} h a day: ${machine} per machine a month.`
      : `Local models run on owned machines: ${formatUsd(s.hardwareUsd)} over ${s.hardwareLifeYears} years plus ${s.powerWatts} W for ${s.hoursPerDay} h a day at ${formatUsd(s.electricityUsdPerKWh)}/kWh: ${machine} per machine a month.`;
  return [
    hardware,
    `A local deployment adds ${formatUsd(s.opsUsdPerMonth)} a month of operations once it has a machine; at zero volume it needs none.`,
    `One machine takes ${s.hoursPerDay} h × 3600 s ÷ the measured seconds per task × ${s.localParallelism} parallel request(s) ÷ a peak factor of ${s.peakFactor}.`,
    'Remote and hosted models cost their measured tokens per task at the price table’s rates; a model without a price stays unknown, never $0.',
    `A month is ${DAYS_PER_MONTH} days. Cost per successful task divides by the share of graded tasks (cells) that passed; an errored task counts as failed.`,
    ...(ungraded ? [ungraded] : []),
    meanTokens === null ? 'No tokens were measured, so a volume in tokens cannot be used.' : `A volume in tokens is converted at the run’s mean of ${Math.round(meanTokens)} tokens (in + out) per task.`,
    'Local costs are estimates from Settings → Cost, not measured bills.',
  ];
}

/** Everything the Decide view and the record show for a run at a volume, by a rule. */
export function evaluateDecision(raw: DecideInput, results: RunResults, price: PriceLookup, baseSettings: CostSettings): Decision {
  const input = DecideInputSchema.parse(raw);
  const settings: CostSettings = { ...baseSettings, ...input.overrides };
  const measured = results.models.map((ref) => measure(results, ref, price));
  const basedOn = new Map<string, string>();
  const whatIfs = input.hosted.map((h): ModelMeasure => {
    const base = measured.find((m) => m.ref === h.basedOn && m.kind === 'local');
    if (!base) throw new AppError('VALIDATION_FAILED', `Invalid input for decide: hosted.basedOn: ${h.basedOn} is not a local model of this run.`, { field: 'hosted.basedOn' });
    const ref = `${h.basedOn} @ ${h.host}`;
    basedOn.set(ref, h.basedOn);
    // Same weights, so the run's tokens and quality stand for the host's; its speed is the host's concern.
    return { ...base, ref, kind: 'hosted', secondsPerTask: null, price: { inputPerMTok: h.inputPerMTok, outputPerMTok: h.outputPerMTok } };
  });
  const measures = [...measured, ...whatIfs];
  const tokenSizes = measures.flatMap((m) => (m.inputTokensPerTask !== null && m.outputTokensPerTask !== null ? [m.inputTokensPerTask + m.outputTokensPerTask] : []));
  const meanTokensPerTask = mean(tokenSizes);
  const tasksPerDay = toTasksPerDay(input.volume.amount, input.volume.unit, meanTokensPerTask);
  const later = tasksPerDay === null ? null : grownVolume(tasksPerDay, input.monthlyGrowth, 12);
  const models: ModelDecision[] = measures.map((m) => {
    const card = results.scorecards.find((s) => s.modelId === (basedOn.get(m.ref) ?? m.ref));
    const line = tasksPerDay === null ? null : costLine(m, settings);
    const perTask = tasksPerDay === null ? null : costPerTask(line, tasksPerDay);
    return {
      ref: m.ref,
      kind: m.kind,
      // No finished cell is "nothing measured", not a 0% pass rate; recommend() excludes it.
      passRate: card?.passRate ?? null,
      passRateCI95: card?.passRateCI95 ?? [0, 1],
      cases: card?.cases ?? 0,
      tasks: m.tasks,
      successes: m.successes,
      ungradedTasks: ungradedTasks(results, basedOn.get(m.ref) ?? m.ref),
      latencyMsP95: basedOn.has(m.ref) ? null : (card?.latencyMsP95 ?? null),
      inputTokensPerTask: m.inputTokensPerTask,
      outputTokensPerTask: m.outputTokensPerTask,
      secondsPerTask: m.secondsPerTask,
      price: m.price,
      line,
      costPerTaskUsd: perTask,
      // Per success needs measured successes: with nothing measured it stays unknown, not a price.
      costPerSuccessUsd: card?.passRate == null ? null : costPerSuccess(perTask, m),
      monthlyCostUsd: tasksPerDay === null ? null : monthlyCost(line, tasksPerDay),
      monthlyCostIn12MonthsUsd: later === null || input.monthlyGrowth === 0 ? null : monthlyCost(line, later),
      machines: line?.shape === 'stepped' && tasksPerDay !== null ? machinesFor(line, tasksPerDay) : null,
      estimate: m.kind === 'local',
      unknownReason: line === null ? unknownReason(m, tasksPerDay) : null,
      basedOn: basedOn.get(m.ref) ?? null,
    };
  });
  const breakEvens: BreakEvenEntry[] = [];
  for (const l of models.filter((m) => m.kind === 'local')) {
    for (const r of models.filter((m) => m.kind !== 'local')) {
      const be = breakEven(l.line, r.line);
      const first = be?.firstTasksPerDay ?? null;
      const always = be?.alwaysFromTasksPerDay ?? null;
      breakEvens.push({ local: l.ref, remote: r.ref, remoteKind: r.kind === 'hosted' ? 'hosted' : 'api', firstTasksPerDay: first, alwaysFromTasksPerDay: always, note: breakEvenNote(l, r, first, always) });
    }
  }
  const marks = breakEvens.flatMap((b) => (b.firstTasksPerDay === null ? [] : [b.firstTasksPerDay]));
  const volumes = chartVolumes(tasksPerDay ?? 1000, marks);
  return {
    runId: results.run.id,
    suiteName: results.run.suiteName,
    suiteVersion: results.run.suiteVersion,
    runStatus: results.run.status,
    volume: input.volume,
    tasksPerDay,
    meanTokensPerTask,
    monthlyGrowth: input.monthlyGrowth,
    settings,
    models,
    breakEvens,
    pairedTests: results.pairedTests,
    recommendation: recommend(models, results.pairedTests, input.rule),
    chart: { volumes, series: models.map((m) => ({ ref: m.ref, monthlyUsd: volumes.map((v) => monthlyCost(m.line, v)) })) },
    assumptions: assumptions(settings, meanTokensPerTask, ungradedNote(models)),
  };
}
