import type { Decision } from '../../../shared/contract';
import { breakEvenLayout } from '../../../shared/domain/breakEvenLayout';

/**
 * Monthly cost against tasks per day on log scales. Plain SVG drawn from the same layout as the
 * decision record's chart (shared/domain/breakEvenLayout): recharts' first drawing of this chart
 * held the main thread for 60-130 ms when the Decide view appeared.
 */
export function DecideChart({ decision }: { decision: Decision }) {
  const layout = breakEvenLayout(decision);
  if (layout === null) {
    return (
      <figure className="evals-chart" aria-label="Monthly cost against volume">
        <figcaption>Monthly cost against volume (log scales)</figcaption>
        <p className="field-hint">No model has a known cost above $0, so there is nothing to chart.</p>
      </figure>
    );
  }
  const { width, height, plot } = layout;
  return (
    <figure className="evals-chart" aria-label="Monthly cost against volume">
      <figcaption>Monthly cost against volume (log scales); circles mark break-even points</figcaption>
      <ul className="decide-chart-legend" aria-label="Lines">
        {layout.series.map((s) => (
          <li key={s.ref}>
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" x2="24" y1="5" y2="5" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash ?? undefined} />
            </svg>
            <span className="mono">{s.ref}</span>
          </li>
        ))}
      </ul>
      <svg className="evals-plot" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Monthly cost (USD) against tasks per day, log scales">
        {layout.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line className="evals-plot-grid" x1={plot.left} x2={plot.right} y1={t.at} y2={t.at} />
            <text className="evals-plot-tick" x={plot.left - 6} y={t.at} textAnchor="end" dominantBaseline="middle">
              {t.label}
            </text>
          </g>
        ))}
        {layout.xTicks.map((t) => (
          <g key={`x${t.value}`}>
            <line className="evals-plot-grid" x1={t.at} x2={t.at} y1={plot.top} y2={plot.bottom} />
            <text className="evals-plot-tick" x={t.at} y={plot.bottom + 16} textAnchor="middle">
              {t.label}
            </text>
          </g>
        ))}
        <line className="evals-plot-axis" x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
        <line className="evals-plot-axis" x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} />
        <text className="evals-plot-tick" x={(width + plot.left) / 2} y={height - 6} textAnchor="middle">
          tasks per day
        </text>
        {layout.series.map((s) =>
          s.points === '' ? null : (
            <polyline key={s.ref} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash ?? undefined} points={s.points}>
              <title>{s.ref}</title>
            </polyline>
          ),
        )}
        {layout.volumeX !== null && (
          <g>
            <line className="decide-chart-volume" x1={layout.volumeX} x2={layout.volumeX} y1={plot.top} y2={plot.bottom} strokeDasharray="4 4" />
            <text className="evals-plot-tick" x={layout.volumeX + 4} y={plot.top + 10}>
              your volume
            </text>
          </g>
        )}
        {layout.marks.map((m) => (
          <circle key={m.key} className="decide-chart-mark" cx={m.cx} cy={m.cy} r={5} fill="none" strokeWidth={2}>
            <title>{m.label}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
