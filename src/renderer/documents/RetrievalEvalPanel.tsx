import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Collection, RetrievalMetricRow } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { PickPathButton } from '../models/PickPathButton';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';

function parseList(text: string): number[] | null {
  const list = text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map(Number);
  return list.length > 0 && list.every((n) => Number.isInteger(n) && n > 0) ? list : null;
}

const fmt = (n: number | null): string => (n === null ? '–' : n.toFixed(3));

/**
 * Measure retrieval: a suite's questions with their expected sources, searched in this collection
 * with every mode, k and chunk size; recall@k and MRR side by side.
 */
export function RetrievalEvalPanel({ collection }: { collection: Collection }) {
  const client = useClient();
  const [suitePath, setSuitePath] = useState('');
  const [ks, setKs] = useState('1, 3, 5');
  const [chunkSizes, setChunkSizes] = useState(String(collection.chunkSize));
  const run = useMutation({
    mutationFn: () =>
      call(client, 'docs.evaluateSuite', {
        suitePath: suitePath.trim(),
        collection: collection.name,
        ks: parseList(ks) ?? [1, 3, 5],
        chunkSizes: parseList(chunkSizes) ?? [collection.chunkSize],
      }),
  });
  const invalid = parseList(ks) === null ? 'k takes whole numbers, comma-separated' : parseList(chunkSizes) === null ? 'chunk sizes take whole numbers, comma-separated' : null;
  const result = run.data;
  return (
    <section className="docs-search" aria-label="Measure retrieval">
      <h3 className="docs-subtitle">Measure retrieval</h3>
      <p className="docs-muted">
        A suite file whose tests give <code>vars.expected_sources</code> (file names, optionally <code>#page=N</code>) with the question in{' '}
        <code>vars.query</code> or <code>vars.question</code>. Other chunk sizes index the files again in a temporary collection.
      </p>
      <form
        className="docs-search-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (suitePath.trim() && !invalid) run.mutate();
        }}
      >
        <Field label="Suite file path" layout="stacked">
          {(props) => <input {...props} className="input" value={suitePath} onChange={(e) => setSuitePath(e.target.value)} placeholder="/path/to/retrieval.yaml" />}
        </Field>
        <PickPathButton request={{ kind: 'file', title: 'Choose a suite', extensions: ['yaml', 'yml'] }} label="Choose suite…" onPick={setSuitePath} />
        <Field label="k (passages)" layout="stacked" error={parseList(ks) === null ? 'whole numbers, comma-separated' : null}>
          {(props) => <input {...props} className="input docs-input-short" value={ks} onChange={(e) => setKs(e.target.value)} />}
        </Field>
        <Field label="Chunk sizes" layout="stacked" error={parseList(chunkSizes) === null ? 'whole numbers, comma-separated' : null}>
          {(props) => <input {...props} className="input docs-input-short" value={chunkSizes} onChange={(e) => setChunkSizes(e.target.value)} />}
        </Field>
        <Button type="submit" busy={run.isPending} disabled={suitePath.trim() === '' || invalid !== null}>
          Measure
        </Button>
      </form>
      {run.error && <ErrorBanner title="Could not measure retrieval" error={run.error} />}
      {result && (
        <>
          <p className="docs-muted" role="status">
            {result.caseCount} case{result.caseCount === 1 ? '' : 's'}
            {result.description ? ` (${result.description})` : ''} on {result.collection}
          </p>
          <MetricsTable rows={result.rows} />
          {[...new Set(result.rows.map((r) => r.note).filter(Boolean))].map((note) => (
            <p key={note} className="docs-muted">
              {note}
            </p>
          ))}
        </>
      )}
    </section>
  );
}

function MetricsTable({ rows }: { rows: RetrievalMetricRow[] }) {
  return (
    <table className="data-table" aria-label="Retrieval metrics">
      <thead>
        <tr>
          <th scope="col">Mode</th>
          <th scope="col">Chunk size</th>
          <th scope="col">k</th>
          <th scope="col">Recall@k</th>
          <th scope="col">MRR@k</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.mode}-${r.chunkSize}-${r.k}`}>
            <td>{r.mode}</td>
            <td>{r.chunkSize}</td>
            <td>{r.k}</td>
            <td>{fmt(r.recall)}</td>
            <td>{fmt(r.mrr)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
