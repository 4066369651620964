/**
 * ProgressBar: role="progressbar" with aria-valuenow, for every long task (downloads, evals).
 *
 * Props:
 *   label: string — what is progressing; the bar's accessible name and shown above it.
 *   value: number | null — progress in [0, max]; null means indeterminate (no aria-valuenow).
 *   max?: number — default 1, so `value` can be a fraction; pass e.g. total bytes with a byte count.
 *   valueText?: string — human text for the right side and aria-valuetext ("1.2 GB of 4.1 GB").
 *                        Defaults to a percentage.
 *
 *   <ProgressBar label="Downloading qwen3-4b" value={received} max={total}
 *                valueText={`${formatBytes(received)} of ${formatBytes(total)}`} />
 */
import { useId } from 'react';
import { formatPercent } from '../../shared/format';

export interface ProgressBarProps {
  label: string;
  value: number | null;
  max?: number;
  valueText?: string;
}

export function ProgressBar({ label, value, max = 1, valueText }: ProgressBarProps) {
  const labelId = useId();
  const known = value !== null && Number.isFinite(value) && max > 0;
  const clamped = known ? Math.min(Math.max(value, 0), max) : 0;
  const text = valueText ?? (known ? formatPercent(clamped / max, 0) : undefined);
  return (
    <div className="progress">
      <div className="progress-meta">
        <span id={labelId}>{label}</span>
        {text && <span aria-hidden="true">{text}</span>}
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={known ? clamped : undefined}
        aria-valuetext={known ? text : undefined}
      >
        <div
          className={known ? 'progress-fill' : 'progress-fill progress-fill--indeterminate'}
          // Scaled, not sized: a transform animates on the compositor, while a width transition lays the
          // page out again on every frame, and a live run moves the bar ten times a second.
          style={known ? { transform: `scaleX(${clamped / max})` } : undefined}
        />
      </div>
    </div>
  );
}
