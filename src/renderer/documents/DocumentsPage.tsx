import { useState } from 'react';
import type { Collection } from '../../shared/contract';
import { localRef } from '../../shared/domain/modelRef';
import { useModelList } from '../models/useModels';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { Page } from '../ui/Page';
import { Spinner } from '../ui/Spinner';
import { CollectionView } from './CollectionView';
import { useCollections, useDocsActions, useIngestJobs } from './useDocs';
import './documents.css';

export function DocumentsPage() {
  const collections = useCollections();
  const jobs = useIngestJobs();
  const [selectedName, setSelectedName] = useState<string | null>(null);
  const list = collections.data ?? [];
  const selected = list.find((c) => c.name === selectedName) ?? list[0] ?? null;

  return (
    <Page title="Documents" description="Collections of your files, indexed on this device for search and for answers that cite their sources." wide>
      {collections.error && <ErrorBanner title="Could not load collections" error={collections.error} />}
      <div className="docs-layout">
        <section className="docs-sidebar" aria-label="Collections">
          <h2 className="section-title">Collections</h2>
          {collections.isPending ? (
            <Spinner label="Loading collections…" showLabel />
          ) : list.length === 0 ? (
            <p className="docs-muted">No collections yet.</p>
          ) : (
            <ul className="docs-collection-list">
              {list.map((c) => (
                <li key={c.id}>
                  <button
                    type="button"
                    className={c.id === selected?.id ? 'docs-collection docs-collection--active' : 'docs-collection'}
                    aria-current={c.id === selected?.id ? 'true' : undefined}
                    onClick={() => setSelectedName(c.name)}
                  >
                    <span className="docs-collection-name">{c.name}</span>
                    <span className="docs-muted">
                      {c.documents} files · {c.chunks} chunks{c.failed > 0 ? ` · ${c.failed} failed` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <CreateCollectionForm onCreated={(c) => setSelectedName(c.name)} />
        </section>
        <div className="docs-main">
          {selected ? (
            <CollectionView key={selected.id} collection={selected} jobs={jobs.data ?? []} onRemoved={() => setSelectedName(null)} />
          ) : (
            !collections.isPending && (
              <EmptyState title="No collections yet">
                Create a collection, then add files or a folder (PDF, DOCX, Markdown, HTML, text, CSV). Everything is parsed and indexed on this
                device; nothing is uploaded.
              </EmptyState>
            )
          )}
        </div>
      </div>
    </Page>
  );
}

function CreateCollectionForm({ onCreated }: { onCreated: (c: Collection) => void }) {
  const { create } = useDocsActions();
  const models = useModelList();
  const [name, setName] = useState('');
  const [embeddingModel, setEmbeddingModel] = useState('');
  return (
    <form
      className="docs-create"
      aria-label="New collection"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(
          { name, embeddingModel: embeddingModel === '' ? null : embeddingModel },
          {
            onSuccess: (c) => {
              setName('');
              onCreated(c);
            },
          },
        );
      }}
    >
      <h3 className="docs-subtitle">New collection</h3>
      <Field label="Name" layout="stacked">
        {(props) => <input {...props} className="input" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Policies" maxLength={80} />}
      </Field>
      <Field label="Embedding model" layout="stacked" hint="A local model that embeds passages for vector and hybrid search. Without one, search is by keyword only.">
        {(props) => (
          <select {...props} className="select" value={embeddingModel} onChange={(e) => setEmbeddingModel(e.target.value)}>
            <option value="">None (keyword search only)</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={localRef(m.id)}>
                {m.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {create.error && <ErrorBanner title="Could not create the collection" error={create.error} />}
      <Button type="submit" variant="primary" busy={create.isPending} disabled={name.trim() === ''}>
        Create collection
      </Button>
    </form>
  );
}
