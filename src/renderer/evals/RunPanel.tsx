import { lazy, memo, Suspense, useDeferredValue, useMemo, useState } from 'react';
import type { EventPayload, RunDetail, RunResults } from '../../shared/contract';
import { STATS_UNIT_NOTE } from '../../shared/domain/evals';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { formatMs, formatPercent } from '../../shared/format';
import { ProgressBar } from '../ui/ProgressBar';
import { Spinner } from '../ui/Spinner';
import { downloadText } from './download';
import { QualityCharts as QualityChartsView } from './QualityCharts';
import { ResultsGrid } from './ResultsGrid';
import { RunCardView } from './RunCardView';
import { RunNotesFor } from './RunNotes';
import { PolicyCostSection } from './PolicyCostSection';
import { PairedTests as PairedTestsTable, Scorecards as ScorecardsTable } from './Scorecards';
import { DEFAULT_DECIDE_FORM, useLocalEstimates } from './decide/useDecision';
import { cellKey, type RunCells } from './runCellsCache';
import { useEvalsMutation, useRun, useRunComparison, useRuns } from './useEvals';
import { useAfterFirstPaint } from './useAfterFirstPaint';
import { useRunPanelResults } from './useRunPanelResults';
import './results.css';

type Progress = EventPayload<'evals.progress'>;

// Memo: while a run streams, cells change every batch but the scorecards only once a second.
const QualityCharts = memo(QualityChartsView);
// Memo: while a run streams, the results re-render with every batch of cells; these only change with the scorecards.
const Scorecards = memo(ScorecardsTable);
const PairedTests = memo(PairedTestsTable);
const MemoRunCardView = memo(RunCardView);
const DecidePanel = lazy(() => import('./decide/DecidePanel').then((m) => ({ default: m.DecidePanel })));

/** One run: live progress with ETA and cancel, then grid, scorecard, charts, paired tests, baseline and exports. */
export function RunPanel({ runId }: { runId: string }) {
  const run = useRun(runId);
  const [progress, setProgress] = useState<Progress | null>(null);
  const status = progress?.status ?? run.data?.status;
  const active = status === 'running' || status === 'pending';
  // Follows evals.cellDone itself, and refreshes the run and its scorecards when it stops.
  const results = useRunPanelResults(runId, run.data);
  const cancel = useEvalsMutation('evals.runs.cancel');
  const resume = useEvalsMutation('evals.runs.resume');

  useParityEvent('evals.progress', (p) => {
    if (p.runId === runId) setProgress(p);
  });

  if (run.isPending) return <Spinner label="Loading run…" showLabel />;
  if (run.error) return <ErrorBanner title="Could not load the run" error={run.error} />;
  const total = progress?.total ?? run.data.totalCells;
  const done = progress?.done ?? run.data.doneCells;

  return (
    <div className="evals-run">
      <div className="evals-run-head">
        <div className="evals-grow">
          <h2>
            Run of “{run.data.suiteName}” v{run.data.suiteVersion}
          </h2>
          <p className="field-hint">
            {new Date(run.data.createdAt).toLocaleString()} · {run.data.models.length} model(s) × {run.data.repeat} repeat(s) · status <strong data-testid="run-status">{status}</strong>
          </p>
        </div>
        {active && (
          <Button variant="danger" onClick={() => cancel.mutate({ runId })} busy={cancel.isPending}>
            Cancel run
          </Button>
        )}
        {(status === 'cancelled' || status === 'interrupted') && (
          <Button variant="primary" onClick={() => resume.mutate({ runId })} busy={resume.isPending}>
            Resume
          </Button>
        )}
      </div>
      {(active || (progress && done < total)) && (
        <ProgressBar
          label="Running cells"
          value={done}
          max={Math.max(total, 1)}
          valueText={`${done} of ${total}${progress?.etaMs != null ? ` · about ${formatMs(progress.etaMs)} left` : ''}${progress ? ` · ${progress.passed} passed` : ''}`}
        />
      )}
      {run.data.error && <ErrorBanner title="The run failed" error={run.data.error} />}
      {cancel.error && <ErrorBanner title="Could not cancel" error={cancel.error} />}
      {resume.error && <ErrorBanner title="Could not resume" error={resume.error} />}
      {results.error && <ErrorBanner title="Could not load results" error={results.error} />}
      {run.data.runCard.policyCostPair && <PolicyCostSection runId={runId} pair={run.data.runCard.policyCostPair} />}
      {results.data && results.cells && <Results runId={runId} detail={run.data} data={results.data} cells={results.cells} />}
    </div>
  );
}

// Memo: progress events re-render the panel ten times a second; the results only change with them when cells do.
const Results = memo(function Results({ runId, detail, data, cells }: { runId: string; detail: RunDetail; data: RunResults; cells: RunCells }) {
  const client = useClient();
  const runs = useRuns(detail.suiteId);
  const [baseline, setBaseline] = useState<string | null>(null);
  const comparison = useRunComparison(runId, baseline);
  const [exportError, setExportError] = useState<unknown>(null);
  const regressions = useMemo(() => new Set((comparison.data?.regressions ?? []).map((r) => cellKey(r.caseId, r.modelId, r.repeat))), [comparison.data]);
  const others = (runs.data ?? []).filter((r) => r.id !== runId);
  // The Decide view's volume also prices local models in the scorecard, so both show one estimate.
  const [decideForm, setDecideForm] = useState(DEFAULT_DECIDE_FORM);
  const finished = detail.status !== 'running' && detail.status !== 'pending';
  const localEstimates = useLocalEstimates(runId, decideForm, finished);
  // Deferred: the grid re-renders in a transition, which React splits into short slices, so a
  // streaming run never holds the main thread for a whole redraw; progress, buttons and scrolling
  // stay responsive in between.
  const gridCells = useDeferredValue(cells);
  // The grid's rows and the layout its virtualizer forces to measure them were most of the panel's
  // first drawing (a 50-70 ms task on opening a finished run): they follow the rest a task later.
  const showGrid = useAfterFirstPaint();

  const exportAs = async (format: 'csv' | 'json' | 'html'): Promise<void> => {
    setExportError(null);
    try {
      const file = await call(client, 'evals.runs.export', { runId, format });
      downloadText(file.filename, file.content, file.mimeType);
    } catch (error) {
      setExportError(error);
    }
  };

  return (
    <>
      <section className="section" aria-labelledby="scorecard-title">
        <div className="evals-section-head">
          <h3 id="scorecard-title">Scorecard</h3>
          <div className="evals-row-actions" role="group" aria-label="Export results">
            <Button size="sm" onClick={() => void exportAs('csv')}>
              Export CSV
            </Button>
            <Button size="sm" onClick={() => void exportAs('json')}>
              Export JSON
            </Button>
            <Button size="sm" onClick={() => void exportAs('html')}>
              Export HTML report
            </Button>
          </div>
        </div>
        {exportError != null && <ErrorBanner title="Export failed" error={exportError} />}
        <Scorecards scorecards={data.scorecards} localEstimates={localEstimates} />
        <RunNotesFor runId={runId} models={data.models} />
        <p className="field-hint" data-testid="stats-unit">
          {STATS_UNIT_NOTE}
        </p>
      </section>
      <section className="section" aria-label="Charts">
        <QualityCharts scorecards={data.scorecards} />
      </section>
      {finished && (
        <section className="section" aria-labelledby="decide-title">
          <h3 id="decide-title">Decide</h3>
          <Suspense fallback={<Spinner label="Loading the Decide view…" showLabel />}>
            <DecidePanel runId={runId} form={decideForm} onForm={setDecideForm} />
          </Suspense>
        </section>
      )}
      <section className="section" aria-labelledby="paired-title">
        <h3 id="paired-title">Paired test</h3>
        <PairedTests tests={data.pairedTests} />
      </section>
      <section className="section" aria-labelledby="baseline-title">
        <div className="evals-section-head">
          <h3 id="baseline-title">Compare with a baseline run</h3>
          <label>
            <span className="visually-hidden">Baseline run</span>
            <select className="select" value={baseline ?? ''} onChange={(e) => setBaseline(e.target.value || null)} aria-label="Baseline run">
              <option value="">No baseline</option>
              {others.map((r) => (
                <option key={r.id} value={r.id}>
                  {new Date(r.createdAt).toLocaleString()} · v{r.suiteVersion} · {r.passedCells}/{r.totalCells} passed
                </option>
              ))}
            </select>
          </label>
        </div>
        {comparison.error && <ErrorBanner title="Could not compare runs" error={comparison.error} />}
        {comparison.data && (
          <div role="status" className={comparison.data.regressed ? 'evals-baseline evals-baseline--bad' : 'evals-baseline'}>
            {comparison.data.warning && (
              <p className="evals-baseline-warning" data-testid="baseline-warning">
                <span className="badge badge--warning evals-inline-badge">suite changed</span> {comparison.data.warning}
                {comparison.data.excludedCases.length > 0 && (
                  <span className="field-hint"> Left out: {comparison.data.excludedCases.map((e) => `${e.caseId} (${e.reason})`).join(', ')}.</span>
                )}
              </p>
            )}
            <p>
              {comparison.data.regressed
                ? `${comparison.data.regressions.length} regression(s): cells that passed in the baseline fail now (highlighted in the grid).`
                : 'No regressions against the baseline.'}{' '}
              {comparison.data.improvements.length > 0 && `${comparison.data.improvements.length} improvement(s).`}
            </p>
            <ul>
              {comparison.data.models.map((m) => (
                <li key={m.modelId}>
                  <span className="mono">{m.modelId}</span>: {formatPercent(m.baselinePassRate)} → {formatPercent(m.passRate)}
                  {m.dropped && <span className="badge badge--warning evals-inline-badge">dropped</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      <section className="section" aria-labelledby="grid-title">
        <h3 id="grid-title">Results grid</h3>
        {showGrid ? (
          <ResultsGrid cells={gridCells} cases={data.cases} models={data.models} repeats={data.run.repeat} regressions={regressions} />
        ) : (
          <Spinner label="Drawing the results…" showLabel />
        )}
      </section>
      <section className="section" aria-labelledby="card-title">
        <h3 id="card-title">Run card</h3>
        <MemoRunCardView card={detail.runCard} />
      </section>
    </>
  );
});
