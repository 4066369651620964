import type { Scorecard } from '../../shared/contract';
import { ScatterPlot, type ScatterPoint } from './ScatterPlot';

function Chart({ title, xLabel, points, missing, format }: { title: string; xLabel: string; points: ScatterPoint[]; missing: number; format: (v: number) => string }) {
  return (
    <figure className="evals-chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="field-hint">No model has this measurement yet.</p>
      ) : (
        <ScatterPlot label={`${title}: pass rate against ${xLabel.toLowerCase()}, one point per model`} xLabel={xLabel} points={points} format={format} width={440} height={260} />
      )}
      {points.length > 0 && (
        <ul className="evals-chart-legend" aria-label={`${title} values`}>
          {points.map((p) => (
            <li key={p.name}>
              <span className="mono">{p.name}</span>: {p.y.toFixed(1)}% at {format(p.x)}
            </li>
          ))}
        </ul>
      )}
      {missing > 0 && <p className="field-hint">{missing} model(s) not shown: not measured.</p>}
    </figure>
  );
}

/** Quality against cost and against latency, one point per model: the trade-off at a glance. */
export function QualityCharts({ scorecards }: { scorecards: Scorecard[] }) {
  // A model with no finished cell has no pass rate: it counts as not shown, not as a point at 0%.
  const cost = scorecards.filter((s) => s.costUsd !== null && s.passRate !== null).map((s) => ({ name: s.modelId, x: s.costUsd!, y: s.passRate! * 100 }));
  const latency = scorecards.filter((s) => s.latencyMsP50 !== null && s.passRate !== null).map((s) => ({ name: s.modelId, x: s.latencyMsP50!, y: s.passRate! * 100 }));
  return (
    <div className="evals-charts">
      <Chart title="Quality vs cost" xLabel="Total cost (USD)" points={cost} missing={scorecards.length - cost.length} format={(v) => (v === 0 ? '$0' : `$${v.toPrecision(2)}`)} />
      <Chart title="Quality vs latency" xLabel="Latency p50 (ms)" points={latency} missing={scorecards.length - latency.length} format={(v) => `${Math.round(v)} ms`} />
    </div>
  );
}
