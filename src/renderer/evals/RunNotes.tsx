import { useQuery } from '@tanstack/react-query';
import type { DerivedMetricResult, SkippedAssertionSummary } from '../../shared/domain/evals';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { runScorecardsKey } from './useRunPanelResults';

export interface RunNotesProps {
  models: readonly string[];
  derivedMetrics: readonly DerivedMetricResult[];
  skippedAssertions: readonly SkippedAssertionSummary[];
}

/**
 * What a run adds to its scorecard: promptfoo's derivedMetrics per model, and the assertions it
 * could not evaluate, said once per kind (the grid repeats them in every cell).
 */
export function RunNotes({ models, derivedMetrics, skippedAssertions }: RunNotesProps) {
  const names = [...new Set(derivedMetrics.map((d) => d.name))];
  if (names.length === 0 && skippedAssertions.length === 0) return null;
  return (
    <>
      {names.length > 0 && (
        <div className="evals-table-scroll">
          <table className="data-table" aria-label="Derived metrics">
            <thead>
              <tr>
                <th scope="col">Model</th>
                {names.map((n) => (
                  <th key={n} scope="col" className="num">
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m}>
                  <th scope="row">{m}</th>
                  {names.map((n) => {
                    const d = derivedMetrics.find((x) => x.modelId === m && x.name === n);
                    return (
                      <td key={n} className="num" title={d?.error ?? undefined}>
                        {d?.value == null ? '–' : Number(d.value.toFixed(4))}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {skippedAssertions.length > 0 && (
        <div role="note" aria-label="Skipped assertions" data-testid="skipped-assertions">
          <p className="field-hint">Not evaluated in this run, so counted neither for nor against a cell:</p>
          <ul>
            {skippedAssertions.map((k) => (
              <li key={`${k.type}\u0000${k.reason}`}>
                <span className="mono">{k.type}</span> in {k.cells} cell{k.cells === 1 ? '' : 's'}: {k.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/** The notes of one run, from the scorecards query the run panel already keeps fresh (same key, no second request). */
export function RunNotesFor({ runId, models }: { runId: string; models: readonly string[] }) {
  const client = useClient();
  const scores = useQuery({ queryKey: runScorecardsKey(runId), queryFn: () => call(client, 'evals.runs.scorecards', { runId }) });
  if (!scores.data) return null;
  return <RunNotes models={models} derivedMetrics={scores.data.derivedMetrics} skippedAssertions={scores.data.skippedAssertions} />;
}
