import type { Decision } from '../contract/decide';
import { formatUsd } from '../format';
import { DAYS_PER_MONTH } from './costModel';

/**
 * The break-even chart's layout: monthly cost against tasks per day, both on log scales, with the
 * entered volume and each break-even marked. The Decide view (React SVG) and the decision record
 * (an SVG string) both draw from this, so the record cannot show another chart than the app.
 * Pure: data in, positions, ticks and labels out; each surface keeps only its own markup.
 */

export interface BreakEvenGeometry {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
}

export const BREAK_EVEN_GEOMETRY: BreakEvenGeometry = { width: 720, height: 340, pad: { left: 80, right: 24, top: 20, bottom: 46 } };

export const BREAK_EVEN_PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'] as const;

export interface AxisTick {
  value: number;
  /** Pixel position along the axis (x for the volume axis, y for the cost axis). */
  at: number;
  label: string;
}

export interface BreakEvenSeries {
  ref: string;
  kind: Decision['models'][number]['kind'] | undefined;
  color: string;
  /** SVG stroke-dasharray; null for a solid line. */
  dash: string | null;
  /** SVG polyline points ("x,y x,y"); empty when the model has no cost above $0 to draw. */
  points: string;
}

export interface BreakEvenMark {
  key: string;
  cx: number;
  cy: number;
  label: string;
}

export interface BreakEvenLayout {
  width: number;
  height: number;
  /** The plot area's edges in pixels. */
  plot: { left: number; right: number; top: number; bottom: number };
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  series: BreakEvenSeries[];
  /** The entered volume's x, when it lies on the chart. */
  volumeX: number | null;
  marks: BreakEvenMark[];
}

/** Compact task counts for ticks and marks: 2.5k, 1.2M, 40, 0.25. */
export function formatTaskCount(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(2))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(2))}k`;
  return String(v >= 10 ? Math.round(v) : Number(v.toPrecision(2)));
}

/** The dash that tells a model's kind apart where colour cannot: solid local, dashed hosted, dotted API. */
export function dashOf(kind: string | undefined): string | null {
  return kind === 'local' ? null : kind === 'hosted' ? '6 3' : '2 2';
}

/** Exponents of the powers of ten from 10^lo to 10^hi, inclusive. */
function decades(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
}

/** Rounded to a tenth of a pixel: the same numbers in both outputs, and short ones. */
function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * Null when there is nothing to chart: fewer than two volumes (no line to draw) or no model with a
 * known cost above $0 (a log axis has no 0, so $0 points are left out rather than drawn at the floor).
 */
export function breakEvenLayout(d: Pick<Decision, 'chart' | 'models' | 'breakEvens' | 'tasksPerDay'>, g: BreakEvenGeometry = BREAK_EVEN_GEOMETRY): BreakEvenLayout | null {
  const xs = d.chart.volumes.filter((v) => v > 0 && Number.isFinite(v));
  const ys = d.chart.series.flatMap((s) => s.monthlyUsd.filter((v): v is number => v !== null && v > 0 && Number.isFinite(v)));
  if (xs.length < 2 || ys.length === 0) return null;
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const [x0, x1] = [Math.log10(xMin), Math.log10(xMax)];
  // The cost axis spans whole decades; a single cost (or costs within one power of ten) still gets one.
  const y0 = Math.floor(Math.log10(Math.min(...ys)));
  const y1 = Math.max(y0 + 1, Math.ceil(Math.log10(Math.max(...ys))));
  const plot = { left: g.pad.left, right: g.width - g.pad.right, top: g.pad.top, bottom: g.height - g.pad.bottom };
  const px = (v: number): number => round1(plot.left + ((Math.log10(v) - x0) / (x1 - x0 || 1)) * (plot.right - plot.left));
  const py = (v: number): number => round1(plot.bottom - ((Math.log10(v) - y0) / (y1 - y0)) * (plot.bottom - plot.top));
  const onChart = (v: number | null): v is number => v !== null && v >= xMin && v <= xMax;

  const kindOf = (ref: string) => d.models.find((m) => m.ref === ref)?.kind;
  const series = d.chart.series.map((s, i): BreakEvenSeries => {
    const kind = kindOf(s.ref);
    const points = s.monthlyUsd.flatMap((v, j) => (v !== null && v > 0 && onChart(d.chart.volumes[j] ?? null) ? [`${px(d.chart.volumes[j]!)},${py(v)}`] : []));
    return { ref: s.ref, kind, color: BREAK_EVEN_PALETTE[i % BREAK_EVEN_PALETTE.length]!, dash: dashOf(kind), points: points.join(' ') };
  });

  // A break-even sits on the remote model's line, which is straight (cost per task × volume).
  const marks = d.breakEvens.flatMap((b): BreakEvenMark[] => {
    const remote = d.models.find((m) => m.ref === b.remote);
    if (!onChart(b.firstTasksPerDay) || remote?.line?.shape !== 'linear') return [];
    const y = remote.line.usdPerTask * b.firstTasksPerDay * DAYS_PER_MONTH;
    if (!(y > 0)) return [];
    return [{ key: `${b.local}|${b.remote}`, cx: px(b.firstTasksPerDay), cy: py(y), label: `break-even ${b.local} / ${b.remote}: ${formatTaskCount(b.firstTasksPerDay)} tasks/day` }];
  });

  return {
    width: g.width,
    height: g.height,
    plot,
    xTicks: decades(Math.ceil(x0), Math.floor(x1)).map((e) => ({ value: 10 ** e, at: px(10 ** e), label: formatTaskCount(10 ** e) })),
    yTicks: decades(y0, y1).map((e) => ({ value: 10 ** e, at: py(10 ** e), label: formatUsd(10 ** e) })),
    series,
    volumeX: d.tasksPerDay !== null && d.tasksPerDay > 0 && onChart(d.tasksPerDay) ? px(d.tasksPerDay) : null,
    marks,
  };
}
