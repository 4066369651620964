import { useState } from 'react';
import type { Suite, SuiteFormat } from '../../shared/contract';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Page } from '../ui/Page';
import { Spinner } from '../ui/Spinner';
import { downloadText } from './download';
import { ImportPanel } from './ImportPanel';
import { RunDialog } from './RunDialog';
import { RunPanel } from './RunPanel';
import { SuiteEditor } from './SuiteEditor';
import { useEvalsMutation, useRuns, useSuite, useSuites } from './useEvals';
import { VersionHistory } from './VersionHistory';
import './evals.css';

type Tab = 'editor' | 'history' | 'runs';
type Mode = { kind: 'none' } | { kind: 'new' } | { kind: 'import' } | { kind: 'suite'; id: string };

/** Suites (edit, history, import/export) and their runs (progress, grid, scorecard, charts). */
export function EvalsPage() {
  const suites = useSuites();
  const [mode, setMode] = useState<Mode>({ kind: 'none' });
  const [tab, setTab] = useState<Tab>('editor');
  const [runId, setRunId] = useState<string | null>(null);

  const openSuite = (suite: Suite, nextTab: Tab = 'editor'): void => {
    setMode({ kind: 'suite', id: suite.id });
    setTab(nextTab);
  };

  return (
    <Page
      title="Evals"
      description="Test suites of prompts with assertions, run on several models with identical parameters."
      wide
      actions={
        <>
          <Button onClick={() => setMode({ kind: 'import' })}>Import suite</Button>
          <Button variant="primary" onClick={() => setMode({ kind: 'new' })}>
            New suite
          </Button>
        </>
      }
    >
      <div className="evals-layout">
        <nav className="evals-sidebar" aria-label="Suites">
          {suites.isPending && <Spinner label="Loading suites…" showLabel />}
          {suites.error && <ErrorBanner title="Could not load suites" error={suites.error} onRetry={() => void suites.refetch()} />}
          {suites.data?.length === 0 && <p className="field-hint">No suites yet.</p>}
          <ul className="evals-suite-list">
            {suites.data?.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="evals-suite-item"
                  aria-current={mode.kind === 'suite' && mode.id === s.id ? 'true' : undefined}
                  onClick={() => {
                    setMode({ kind: 'suite', id: s.id });
                    setRunId(null);
                  }}
                >
                  <span className="evals-suite-name">{s.name}</span>
                  <span className="field-hint">
                    v{s.latestVersion} · {s.caseCount} case{s.caseCount === 1 ? '' : 's'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="evals-main">
          {mode.kind === 'none' &&
            (suites.data?.length === 0 ? (
              <EmptyState
                title="No eval suites yet"
                action={
                  <Button variant="primary" onClick={() => setMode({ kind: 'new' })}>
                    Create a suite
                  </Button>
                }
              >
                A suite is a set of test cases: a prompt template with variables, the expected answer and assertions. Create one here or import a promptfoo
                YAML, CSV or JSONL file.
              </EmptyState>
            ) : (
              <EmptyState title="Pick a suite">Choose a suite on the left to edit it, see its history or run it.</EmptyState>
            ))}
          {mode.kind === 'new' && (
            <section aria-label="New suite">
              <h2 className="evals-panel-title">New suite</h2>
              <SuiteEditor suite={null} onSaved={(s) => openSuite(s)} />
            </section>
          )}
          {mode.kind === 'import' && <ImportPanel onImported={(s) => openSuite(s)} onCancel={() => setMode({ kind: 'none' })} />}
          {mode.kind === 'suite' && (
            <SuiteView
              id={mode.id}
              tab={tab}
              onTab={setTab}
              runId={runId}
              onRun={(id) => {
                setRunId(id);
                setTab('runs');
              }}
              onDeleted={() => setMode({ kind: 'none' })}
            />
          )}
        </div>
      </div>
    </Page>
  );
}

function SuiteView({ id, tab, onTab, runId, onRun, onDeleted }: { id: string; tab: Tab; onTab: (t: Tab) => void; runId: string | null; onRun: (id: string) => void; onDeleted: () => void }) {
  const client = useClient();
  const suite = useSuite(id);
  const runs = useRuns(id);
  const [dialog, setDialog] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const remove = useEvalsMutation('evals.suites.delete');

  if (suite.isPending) return <Spinner label="Loading suite…" showLabel />;
  if (suite.error) return <ErrorBanner title="Could not load the suite" error={suite.error} onRetry={() => void suite.refetch()} />;
  const s = suite.data;

  const exportAs = async (format: SuiteFormat): Promise<void> => {
    setExportError(null);
    try {
      const file = await call(client, 'evals.suites.export', { id, format });
      downloadText(file.filename, file.content, file.mimeType);
    } catch (error) {
      setExportError(error);
    }
  };

  const tabs: Array<[Tab, string]> = [
    ['editor', 'Editor'],
    ['history', `History (${s.latestVersion})`],
    ['runs', `Runs (${runs.data?.length ?? 0})`],
  ];
  return (
    <section aria-label={`Suite ${s.name}`}>
      <div className="evals-run-head">
        <div className="evals-grow">
          <h2 className="evals-panel-title">{s.name}</h2>
          <p className="field-hint">
            v{s.version} · {s.spec.cases.length} cases{s.spec.description ? ` · ${s.spec.description}` : ''}
          </p>
        </div>
        <Button variant="primary" onClick={() => setDialog(true)}>
          Run…
        </Button>
        <div className="evals-row-actions" role="group" aria-label="Export suite">
          <Button size="sm" onClick={() => void exportAs('yaml')}>
            Export YAML
          </Button>
          <Button size="sm" onClick={() => void exportAs('csv')}>
            Export CSV
          </Button>
          <Button size="sm" onClick={() => void exportAs('jsonl')}>
            Export JSONL
          </Button>
          <Button size="sm" onClick={() => setImporting((v) => !v)}>
            Import version
          </Button>
          <Button size="sm" variant="danger" busy={remove.isPending} onClick={() => window.confirm(`Delete “${s.name}” and its history? Runs keep their own copy.`) && remove.mutate({ id }, { onSuccess: onDeleted })}>
            Delete
          </Button>
        </div>
      </div>
      {exportError != null && <ErrorBanner title="Export failed" error={exportError} />}
      {remove.error && <ErrorBanner title="Could not delete" error={remove.error} />}
      {importing && <ImportPanel suiteId={id} onImported={() => setImporting(false)} onCancel={() => setImporting(false)} />}

      <div role="tablist" aria-label="Suite views" className="evals-tabs">
        {tabs.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`evals-tab-${t}`}
            aria-selected={tab === t}
            aria-controls={`evals-panel-${t}`}
            tabIndex={tab === t ? 0 : -1}
            className="evals-tab"
            onClick={() => onTab(t)}
            onKeyDown={(e) => {
              const i = tabs.findIndex(([x]) => x === t);
              const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
              if (next) {
                onTab(next[0]);
                document.getElementById(`evals-tab-${next[0]}`)?.focus();
              }
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`evals-panel-${tab}`} aria-labelledby={`evals-tab-${tab}`} className="evals-tabpanel">
        {tab === 'editor' && <SuiteEditor key={`${s.id}:${s.version}`} suite={s} onSaved={() => void suite.refetch()} />}
        {tab === 'history' && <VersionHistory suiteId={s.id} latest={s.latestVersion} />}
        {tab === 'runs' && (
          <>
            {runs.data?.length === 0 && <EmptyState title="No runs yet">Press “Run…” to run this suite on one or more models.</EmptyState>}
            {runs.data && runs.data.length > 0 && (
              <ul className="evals-run-list" aria-label="Runs">
                {runs.data.map((r) => (
                  <li key={r.id}>
                    <button type="button" className="evals-suite-item" aria-current={r.id === runId ? 'true' : undefined} onClick={() => onRun(r.id)}>
                      <span>
                        {new Date(r.createdAt).toLocaleString()} · v{r.suiteVersion} · <strong>{r.status}</strong>
                      </span>
                      <span className="field-hint">
                        {r.passedCells}/{r.totalCells} passed · {r.models.join(', ')}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {runId && <RunPanel key={runId} runId={runId} />}
          </>
        )}
      </div>
      {dialog && (
        <RunDialog
          suite={s}
          onClose={() => setDialog(false)}
          onStarted={(run) => {
            setDialog(false);
            onRun(run.id);
          }}
        />
      )}
    </section>
  );
}
