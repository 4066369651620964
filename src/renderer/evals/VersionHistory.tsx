import { useState } from 'react';
import type { SuiteDiff } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Spinner } from '../ui/Spinner';
import { useEvalsMutation, useSuiteDiff, useSuiteVersions } from './useEvals';

/** Every saved version, a structured diff between any two, and roll back (saves the old one as newest). */
export function VersionHistory({ suiteId, latest }: { suiteId: string; latest: number }) {
  const versions = useSuiteVersions(suiteId);
  const [selected, setSelected] = useState<number | null>(null);
  const to = selected ?? latest;
  const [from, setFrom] = useState<number | null>(null);
  const base = from ?? (to > 1 ? to - 1 : null);
  const diff = useSuiteDiff(suiteId, base, to);
  const rollback = useEvalsMutation('evals.suites.rollback');

  if (versions.isPending) return <Spinner label="Loading versions…" showLabel />;
  if (versions.error) return <ErrorBanner title="Could not load versions" error={versions.error} />;
  return (
    <div className="evals-history">
      <table className="data-table" aria-label="Versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">Note</th>
            <th scope="col" className="num">
              Cases
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.data.map((v) => (
            <tr key={v.version} aria-selected={v.version === to}>
              <td>
                v{v.version}
                {v.version === latest && <span className="badge badge--accent evals-inline-badge">latest</span>}
              </td>
              <td>{new Date(v.createdAt).toLocaleString()}</td>
              <td>{v.message ?? '—'}</td>
              <td className="num">{v.caseCount}</td>
              <td className="evals-row-actions">
                <Button size="sm" variant="ghost" onClick={() => {
                    setSelected(v.version);
                    setFrom(null);
                  }} aria-label={`Show changes in v${v.version}`}>
                  Changes
                </Button>
                {v.version !== latest && (
                  <Button size="sm" onClick={() => rollback.mutate({ id: suiteId, version: v.version })} busy={rollback.isPending} aria-label={`Roll back to v${v.version}`}>
                    Roll back
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rollback.error && <ErrorBanner title="Roll back failed" error={rollback.error} />}
      {rollback.data && <p role="status">Saved v{rollback.data.version} as a copy of the old version.</p>}

      <div className="evals-diff-head">
        <h3>Changes</h3>
        <label>
          from{' '}
          <select className="select" value={base ?? ''} onChange={(e) => setFrom(Number(e.target.value))} aria-label="Compare from version">
            {versions.data.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </label>
        <span>to v{to}</span>
      </div>
      {base === null && <p className="field-hint">v1 is the first version: nothing to compare with.</p>}
      {diff.isFetching && <Spinner label="Computing diff…" />}
      {diff.error && <ErrorBanner title="Could not compute the diff" error={diff.error} />}
      {diff.data && <DiffView diff={diff.data} />}
    </div>
  );
}

function show(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function DiffView({ diff }: { diff: SuiteDiff }) {
  if (diff.fields.length === 0 && diff.cases.length === 0) return <p className="field-hint">v{diff.from} and v{diff.to} are identical.</p>;
  return (
    <ul className="evals-diff" aria-label={`Changes from v${diff.from} to v${diff.to}`}>
      {diff.fields.map((f) => (
        <li key={f.field} className="evals-diff-item evals-diff--changed">
          <strong>{f.field}</strong>
          <pre className="evals-diff-before">{show(f.before)}</pre>
          <pre className="evals-diff-after">{show(f.after)}</pre>
        </li>
      ))}
      {diff.cases.map((c) => (
        <li key={c.caseId} className={`evals-diff-item evals-diff--${c.change}`}>
          <strong>
            {c.change === 'added' ? '+ ' : c.change === 'removed' ? '− ' : '~ '}
            {c.caseId}
          </strong>{' '}
          <span className="field-hint">
            {c.change}
            {c.fields.length > 0 && `: ${c.fields.join(', ')}`}
          </span>
          {c.before !== undefined && <pre className="evals-diff-before">{show(c.before)}</pre>}
          {c.after !== undefined && <pre className="evals-diff-after">{show(c.after)}</pre>}
        </li>
      ))}
    </ul>
  );
}
