import { useState } from 'react';
import type { Collection, IngestJob } from '../../shared/contract';
import { PickPathButton } from '../models/PickPathButton';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { ProgressBar } from '../ui/ProgressBar';
import { useToast } from '../ui/Toast';
import { FileList } from './FileList';
import { RetrievalEvalPanel } from './RetrievalEvalPanel';
import { SearchPanel } from './SearchPanel';
import { useCollectionFiles, useDocsActions } from './useDocs';

const SUPPORTED = ['pdf', 'docx', 'md', 'markdown', 'html', 'htm', 'txt', 'csv'];

export function CollectionView({ collection, jobs, onRemoved }: { collection: Collection; jobs: IngestJob[]; onRemoved: () => void }) {
  const files = useCollectionFiles(collection);
  const actions = useDocsActions();
  const toast = useToast();
  const [path, setPath] = useState('');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const running = jobs.filter((j) => j.collectionId === collection.id && j.state === 'running');
  const last = jobs.filter((j) => j.collectionId === collection.id).at(-1);

  const add = (paths: string[]) =>
    actions.add.mutate(
      { collection: collection.name, paths },
      {
        onSuccess: ({ documents }) => {
          setPath('');
          toast.show({ message: `Queued ${documents.length} file${documents.length === 1 ? '' : 's'} for indexing.` });
        },
      },
    );

  return (
    <div className="docs-collection-view">
      <header className="docs-collection-header">
        <div>
          <h2 className="section-title">{collection.name}</h2>
          <p className="docs-muted">
            {collection.embeddingModel ? `Embeddings: ${collection.embeddingModel} · keyword, vector and hybrid search` : 'No embedding model: keyword search only'} · chunks of{' '}
            {collection.chunkSize} characters
          </p>
        </div>
        {confirmRemove ? (
          <div className="docs-confirm" role="group" aria-label="Confirm removal">
            <span>Remove {collection.name} and its index? Your files stay where they are.</span>
            <Button variant="danger" busy={actions.removeCollection.isPending} onClick={() => actions.removeCollection.mutate(collection.name, { onSuccess: onRemoved })}>
              Remove collection
            </Button>
            <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
          </div>
        ) : (
          <Button variant="ghost" onClick={() => setConfirmRemove(true)}>
            Remove collection…
          </Button>
        )}
      </header>

      <form
        className="docs-add"
        aria-label="Add files"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) add([path.trim()]);
        }}
      >
        <Field label="File or folder path" layout="stacked" hint="Folders are read recursively; supported: PDF, DOCX, Markdown, HTML, text, CSV.">
          {(props) => <input {...props} className="input" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/folder or file.pdf" />}
        </Field>
        <div className="docs-add-actions">
          <Button type="submit" variant="primary" busy={actions.add.isPending} disabled={path.trim() === ''}>
            Add
          </Button>
          <PickPathButton request={{ kind: 'file', title: 'Add a document', extensions: SUPPORTED }} label="Choose file…" onPick={(p) => add([p])} />
          <PickPathButton request={{ kind: 'folder', title: 'Add a folder of documents' }} label="Choose folder…" onPick={(p) => add([p])} />
        </div>
        {actions.add.error && <ErrorBanner title="Could not add" error={actions.add.error} />}
      </form>

      {running.map((job) => (
        <div className="docs-job" key={job.jobId}>
          <ProgressBar label="Indexing" value={job.filesDone} max={Math.max(1, job.filesTotal)} valueText={`${job.filesDone} of ${job.filesTotal} files`} />
          <Button size="sm" onClick={() => actions.cancel.mutate(job.jobId)} busy={actions.cancel.isPending}>
            Cancel indexing
          </Button>
        </div>
      ))}
      {running.length === 0 && last && last.state !== 'running' && (
        <p className="docs-muted" role="status">
          {last.state === 'cancelled' ? 'Indexing was cancelled. ' : 'Indexing finished. '}
          {last.filesDone - last.failed - last.skipped} indexed, {last.skipped} unchanged, {last.failed} failed.
        </p>
      )}

      {files.error && <ErrorBanner title="Could not load the files" error={files.error} />}
      <FileList
        files={files.data ?? []}
        loading={files.isPending}
        onRemove={(doc) => actions.removeFiles.mutate({ collection: collection.name, documentIds: [doc.id] }, { onSuccess: () => toast.show({ message: `Removed ${doc.name} from ${collection.name}.` }) })}
      />
      <SearchPanel collection={collection} />
      <RetrievalEvalPanel collection={collection} />
    </div>
  );
}
