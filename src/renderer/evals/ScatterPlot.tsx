export interface ScatterPoint {
  name: string;
  x: number;
  /** Pass rate in percent, 0-100. */
  y: number;
}

export interface ScatterPlotProps {
  /** Names the plot for screen readers; the values themselves are listed beside it. */
  label: string;
  xLabel: string;
  points: ScatterPoint[];
  format: (v: number) => string;
  width: number;
  height: number;
}

const MARGIN = { top: 12, right: 36, bottom: 44, left: 48 };
const Y_TICKS = [0, 25, 50, 75, 100];

/**
 * Round tick values from 0 to at least `max` (1, 2, 2.5 or 5 times a power of ten apart), about
 * `count` of them: the axis ends on a round number past the largest point, as a chart tool's would.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  // Rounded to the step's precision, so 0.1 + 0.2 does not print as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let i = 0; ticks.length === 0 || ticks.at(-1)! < max; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return ticks;
}

/**
 * Pass rate (y, 0-100%) against a measurement (x), one point per model, drawn as plain SVG. It
 * replaced a recharts chart whose first drawing alone held the main thread for 55-75 ms when the
 * run panel opened: recharts renders a chart twice on mount and compiles much of its code then.
 */
export function ScatterPlot({ label, xLabel, points, format, width, height }: ScatterPlotProps) {
  const xTicks = niceTicks(Math.max(...points.map((p) => p.x)));
  const xMax = xTicks.at(-1)!;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const px = (v: number): number => MARGIN.left + (v / xMax) * plotW;
  const py = (v: number): number => MARGIN.top + (1 - v / 100) * plotH;
  const bottom = MARGIN.top + plotH;
  return (
    <svg className="evals-plot" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {Y_TICKS.map((t) => (
        <g key={`y${t}`}>
          <line className="evals-plot-grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={py(t)} y2={py(t)} />
          <text className="evals-plot-tick" x={MARGIN.left - 6} y={py(t)} textAnchor="end" dominantBaseline="middle">
            {t}%
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t}`}>
          <line className="evals-plot-grid" x1={px(t)} x2={px(t)} y1={MARGIN.top} y2={bottom} />
          <text className="evals-plot-tick" x={px(t)} y={bottom + 16} textAnchor="middle">
            {format(t)}
          </text>
        </g>
      ))}
      <line className="evals-plot-axis" x1={MARGIN.left} x2={width - MARGIN.right} y1={bottom} y2={bottom} />
      <line className="evals-plot-axis" x1={MARGIN.left} x2={MARGIN.left} y1={MARGIN.top} y2={bottom} />
      <text className="evals-plot-tick" x={MARGIN.left + plotW / 2} y={height - 6} textAnchor="middle">
        {xLabel}
      </text>
      {points.map((p) => (
        <circle key={p.name} className="evals-plot-point" cx={px(p.x)} cy={py(p.y)} r={5}>
          <title>{`${p.name}: ${p.y.toFixed(1)}% at ${format(p.x)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
