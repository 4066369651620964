/**
 * Spinner: a small busy indicator with a label for screen readers (role="status").
 *
 * Props:
 *   label?: string — what is happening (default "Loading…"); read aloud, and shown if `showLabel`.
 *   showLabel?: boolean — also print the label next to the ring (default false).
 *
 * Prefer ProgressBar whenever the amount of work is known.
 *
 *   {query.isPending && <Spinner label="Loading models…" showLabel />}
 */
export interface SpinnerProps {
  label?: string;
  showLabel?: boolean;
}

export function Spinner({ label = 'Loading…', showLabel = false }: SpinnerProps) {
  return (
    <span className="spinner" role="status">
      <span className="spinner-ring" aria-hidden="true" />
      <span className={showLabel ? undefined : 'visually-hidden'}>{label}</span>
    </span>
  );
}
