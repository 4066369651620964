import type { Decision } from '../../../shared/contract';
import { formatUsd } from '../../../shared/format';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const DAYS_PER_MONTH = 365.25 / 12;
const WIDTH = 720;
const HEIGHT = 320;
const PAD = { left: 80, right: 24, top: 16, bottom: 44 };

function tasks(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(2))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(2))}k`;
  return String(v >= 10 ? Math.round(v) : Number(v.toPrecision(2)));
}

/** The powers of ten from `lo` to `hi` (exponents, inclusive). */
function decades(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
}

/** The dash that tells a model's kind apart where colour cannot: solid local, dashed hosted, dotted API. */
function dashOf(kind: string | undefined): string | undefined {
  return kind === 'local' ? undefined : kind === 'hosted' ? '6 3' : '2 2';
}

/**
 * Monthly cost against tasks per day on log scales; a log axis has no 0, so $0 points are left
 * out. Plain SVG, as the decision record draws it: recharts' first drawing of this chart held the
 * main thread for 60-130 ms when the Decide view appeared.
 */
export function DecideChart({ decision }: { decision: Decision }) {
  const xs = decision.chart.volumes;
  const ys = decision.chart.series.flatMap((s) => s.monthlyUsd.filter((v): v is number => v !== null && v > 0));
  if (xs.length < 2 || ys.length === 0) {
    return (
      <figure className="evals-chart" aria-label="Monthly cost against volume">
        <figcaption>Monthly cost against volume (log scales)</figcaption>
        <p className="field-hint">No model has a known cost above $0, so there is nothing to chart.</p>
      </figure>
    );
  }
  const [x0, x1] = [Math.log10(xs[0]!), Math.log10(xs.at(-1)!)];
  const [y0, y1] = [Math.floor(Math.log10(Math.min(...ys))), Math.ceil(Math.log10(Math.max(...ys)))];
  const bottom = HEIGHT - PAD.bottom;
  const px = (v: number): number => PAD.left + ((Math.log10(v) - x0) / (x1 - x0 || 1)) * (WIDTH - PAD.left - PAD.right);
  const py = (v: number): number => bottom - ((Math.log10(v) - y0) / (y1 - y0 || 1)) * (bottom - PAD.top);
  const inRange = (v: number): boolean => v >= xs[0]! && v <= xs.at(-1)!;
  const marks = decision.breakEvens.flatMap((b) => {
    const r = decision.models.find((m) => m.ref === b.remote);
    if (b.firstTasksPerDay === null || !inRange(b.firstTasksPerDay) || r?.line?.shape !== 'linear') return [];
    const y = r.line.usdPerTask * b.firstTasksPerDay * DAYS_PER_MONTH;
    return y > 0 ? [{ key: `${b.local}|${b.remote}`, x: b.firstTasksPerDay, y, label: `break-even ${b.local} / ${b.remote}: ${tasks(b.firstTasksPerDay)} tasks/day` }] : [];
  });
  const volume = decision.tasksPerDay !== null && decision.tasksPerDay > 0 && inRange(decision.tasksPerDay) ? decision.tasksPerDay : null;
  return (
    <figure className="evals-chart" aria-label="Monthly cost against volume">
      <figcaption>Monthly cost against volume (log scales); circles mark break-even points</figcaption>
      <ul className="decide-chart-legend" aria-label="Lines">
        {decision.chart.series.map((s, i) => (
          <li key={s.ref}>
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" x2="24" y1="5" y2="5" stroke={COLORS[i % COLORS.length]} strokeWidth={2} strokeDasharray={dashOf(decision.models[i]?.kind)} />
            </svg>
            <span className="mono">{s.ref}</span>
          </li>
        ))}
      </ul>
      <svg className="evals-plot" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Monthly cost (USD) against tasks per day, log scales">
        {decades(y0, y1).map((e) => (
          <g key={`y${e}`}>
            <line className="evals-plot-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={py(10 ** e)} y2={py(10 ** e)} />
            <text className="evals-plot-tick" x={PAD.left - 6} y={py(10 ** e)} textAnchor="end" dominantBaseline="middle">
              {formatUsd(10 ** e)}
            </text>
          </g>
        ))}
        {decades(Math.ceil(x0), Math.floor(x1)).map((e) => (
          <g key={`x${e}`}>
            <line className="evals-plot-grid" x1={px(10 ** e)} x2={px(10 ** e)} y1={PAD.top} y2={bottom} />
            <text className="evals-plot-tick" x={px(10 ** e)} y={bottom + 16} textAnchor="middle">
              {tasks(10 ** e)}
            </text>
          </g>
        ))}
        <line className="evals-plot-axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={bottom} y2={bottom} />
        <line className="evals-plot-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={bottom} />
        <text className="evals-plot-tick" x={(WIDTH + PAD.left) / 2} y={HEIGHT - 6} textAnchor="middle">
          tasks per day
        </text>
        {decision.chart.series.map((s, i) => {
          const points = s.monthlyUsd.flatMap((v, j) => (v !== null && v > 0 ? [`${px(xs[j]!).toFixed(1)},${py(v).toFixed(1)}`] : []));
          return points.length === 0 ? null : (
            <polyline key={s.ref} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={2} strokeDasharray={dashOf(decision.models[i]?.kind)} points={points.join(' ')}>
              <title>{s.ref}</title>
            </polyline>
          );
        })}
        {volume !== null && (
          <g>
            <line className="decide-chart-volume" x1={px(volume)} x2={px(volume)} y1={PAD.top} y2={bottom} strokeDasharray="4 4" />
            <text className="evals-plot-tick" x={px(volume) + 4} y={PAD.top + 10}>
              your volume
            </text>
          </g>
        )}
        {marks.map((m) => (
          <circle key={m.key} className="decide-chart-mark" cx={px(m.x)} cy={py(m.y)} r={5} fill="none" strokeWidth={2}>
            <title>{m.label}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
