import { useState } from 'react';
import type { Collection, SearchMode } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { useDocsActions } from './useDocs';

/** Try a query against the collection and see which passages come back, from where, and how they ranked. */
export function SearchPanel({ collection }: { collection: Collection }) {
  const { search } = useDocsActions();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>(collection.embeddingModel ? 'hybrid' : 'keyword');
  const result = search.data;
  return (
    <section className="docs-search" aria-label="Search this collection">
      <h3 className="docs-subtitle">Search</h3>
      <form
        className="docs-search-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (query.trim()) search.mutate({ collection: collection.name, query, k: 5, mode });
        }}
      >
        <Field label="Query" layout="stacked">
          {(props) => <input {...props} className="input" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
        </Field>
        <Field label="Mode" layout="stacked">
          {(props) => (
            <select {...props} className="select" value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
              <option value="keyword">Keyword (BM25)</option>
              <option value="vector" disabled={!collection.embeddingModel}>
                Vector
              </option>
              <option value="hybrid" disabled={!collection.embeddingModel}>
                Hybrid
              </option>
            </select>
          )}
        </Field>
        <Button type="submit" busy={search.isPending} disabled={query.trim() === ''}>
          Search
        </Button>
      </form>
      {search.error && <ErrorBanner title="Search failed" error={search.error} />}
      {result?.note && <p className="docs-muted">{result.note}</p>}
      {result && (
        <ol className="docs-hits" aria-label="Search results">
          {result.hits.length === 0 && <li className="docs-muted">No passages matched.</li>}
          {result.hits.map((hit) => (
            <li key={hit.chunkId} className="docs-hit">
              <div className="docs-hit-source">
                <strong>{hit.fileName}</strong>
                {hit.page !== null ? `, page ${hit.page}` : hit.heading ? ` › ${hit.heading}` : ''}
                <span className="docs-muted"> · score {hit.score.toFixed(4)}</span>
              </div>
              <p className="docs-hit-text">{hit.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
