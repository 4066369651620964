import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { Decision } from '../../../shared/contract';
import { formatUsd } from '../../../shared/format';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const DAYS_PER_MONTH = 365.25 / 12;

function tasks(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(2))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(2))}k`;
  return String(v >= 10 ? Math.round(v) : Number(v.toPrecision(2)));
}

/** Monthly cost against tasks per day on log scales; a log axis has no 0, so $0 points are left out. */
export function DecideChart({ decision }: { decision: Decision }) {
  const rows = decision.chart.volumes.map((v, i) => {
    const row: Record<string, number | null> = { v };
    for (const s of decision.chart.series) {
      const y = s.monthlyUsd[i] ?? null;
      row[s.ref] = y !== null && y > 0 ? y : null;
    }
    return row;
  });
  const marks = decision.breakEvens.flatMap((b) => {
    const r = decision.models.find((m) => m.ref === b.remote);
    if (b.firstTasksPerDay === null || r?.line?.shape !== 'linear') return [];
    return [{ key: `${b.local}|${b.remote}`, x: b.firstTasksPerDay, y: r.line.usdPerTask * b.firstTasksPerDay * DAYS_PER_MONTH }];
  });
  return (
    <figure className="evals-chart" aria-label="Monthly cost against volume">
      <figcaption>Monthly cost against volume (log scales); circles mark break-even points</figcaption>
      <LineChart width={720} height={320} data={rows} margin={{ top: 16, right: 24, bottom: 28, left: 24 }} accessibilityLayer>
        <CartesianGrid stroke="var(--border)" />
        <XAxis dataKey="v" type="number" scale="log" domain={['dataMin', 'dataMax']} tickFormatter={tasks} stroke="var(--text-muted)" label={{ value: 'tasks per day', position: 'bottom', fill: 'var(--text-muted)' }} />
        <YAxis type="number" scale="log" domain={['auto', 'auto']} tickFormatter={(v: number) => formatUsd(v)} stroke="var(--text-muted)" width={80} />
        <Tooltip formatter={(value) => formatUsd(Number(value))} labelFormatter={(v) => `${tasks(Number(v))} tasks/day`} />
        <Legend verticalAlign="top" />
        {decision.chart.series.map((s, i) => (
          <Line key={s.ref} dataKey={s.ref} name={s.ref} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={2} strokeDasharray={decision.models[i]?.kind === 'local' ? undefined : decision.models[i]?.kind === 'hosted' ? '6 3' : '2 2'} isAnimationActive={false} connectNulls={false} />
        ))}
        {decision.tasksPerDay !== null && decision.tasksPerDay > 0 && <ReferenceLine x={decision.tasksPerDay} stroke="var(--text)" strokeDasharray="4 4" label={{ value: 'your volume', position: 'insideTopLeft' }} />}
        {marks.map((m) => (
          <ReferenceDot key={m.key} x={m.x} y={m.y} r={5} fill="none" stroke="var(--text)" strokeWidth={2} />
        ))}
      </LineChart>
    </figure>
  );
}
