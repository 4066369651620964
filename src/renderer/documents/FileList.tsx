import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { DocumentInfo } from '../../shared/contract';
import { formatBytes } from '../../shared/format';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';

const ROW = 56;

const STATUS_LABEL: Record<DocumentInfo['status'], string> = {
  queued: 'Queued',
  parsing: 'Parsing',
  embedding: 'Embedding',
  ready: 'Ready',
  failed: 'Failed',
};

/** The files of a collection; virtualized, since a folder can hold thousands of them. */
export function FileList({ files, loading, onRemove }: { files: DocumentInfo[]; loading: boolean; onRemove: (doc: DocumentInfo) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count: files.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 8,
    getItemKey: (index) => files[index]!.id,
  });
  if (loading) return <Spinner label="Loading files…" showLabel />;
  if (files.length === 0) {
    return <p className="docs-muted docs-empty-files">No files in this collection yet. Add a file or a folder above.</p>;
  }
  return (
    <section aria-label="Files">
      <h3 className="docs-subtitle">
        Files <span className="docs-muted">({files.length})</span>
      </h3>
      <div className="docs-files" ref={scrollRef} role="list" aria-label="Files in this collection">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const doc = files[item.index]!;
            return (
              <div
                key={item.key}
                role="listitem"
                aria-label={doc.name}
                className="docs-file"
                ref={virtualizer.measureElement}
                data-index={item.index}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                <div className="docs-file-main">
                  <span className="docs-file-name" title={doc.path}>
                    {doc.name}
                  </span>
                  <span className={`docs-status docs-status--${doc.status}`}>
                    {STATUS_LABEL[doc.status]}
                    {doc.status === 'embedding' && doc.embeddedChunks !== undefined ? ` ${doc.embeddedChunks} / ${doc.chunks}` : ''}
                  </span>
                  <span className="docs-muted">
                    {formatBytes(doc.sizeBytes)}
                    {doc.pages !== null ? ` · ${doc.pages} ${doc.pages === 1 ? 'page' : 'pages'}` : ''} · {doc.chunks} {doc.chunks === 1 ? 'chunk' : 'chunks'}
                  </span>
                  {doc.reason && <span className="docs-reason">{doc.reason}</span>}
                </div>
                {confirming === doc.id ? (
                  <span className="docs-confirm" role="group" aria-label={`Confirm removing ${doc.name}`}>
                    <Button size="sm" variant="danger" onClick={() => onRemove(doc)}>
                      Remove
                    </Button>
                    <Button size="sm" onClick={() => setConfirming(null)}>
                      Keep
                    </Button>
                  </span>
                ) : (
                  <Button size="sm" variant="ghost" aria-label={`Remove ${doc.name}`} onClick={() => setConfirming(doc.id)}>
                    Remove…
                  </Button>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
