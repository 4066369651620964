import type { CatalogueEntry } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { formatBytes } from '../../shared/format';
import { Spinner } from '../ui/Spinner';
import { FitBadge, LicenceBadge } from './ModelBadges';
import { useCatalogue, useModelActions } from './useModels';
import { OFFLINE_REASON } from './DownloadsPanel';

export function CataloguePanel({ downloading, offline }: { downloading: Set<string>; offline: boolean }) {
  const catalogue = useCatalogue();
  const { startDownload } = useModelActions();
  if (catalogue.isPending) return <Spinner label="Loading the catalogue…" showLabel />;
  if (catalogue.error) return <ErrorBanner title="Could not load the catalogue" error={catalogue.error} onRetry={() => void catalogue.refetch()} />;
  return (
    <>
      {startDownload.error && <ErrorBanner title="Could not start the download" error={startDownload.error} onDismiss={() => startDownload.reset()} />}
      <ul className="models-list" aria-label="Catalogue">
        {catalogue.data.map((entry) => (
          <li key={entry.id}>
            <CatalogueCard
              entry={entry}
              busy={downloading.has(entry.uri)}
              offline={offline}
              onDownload={() => startDownload.mutate({ source: entry.uri, catalogueId: entry.id })}
            />
          </li>
        ))}
      </ul>
    </>
  );
}

function CatalogueCard({ entry, busy, offline, onDownload }: { entry: CatalogueEntry; busy: boolean; offline: boolean; onDownload: () => void }) {
  return (
    <article className="card models-card" aria-label={entry.name}>
      <header className="models-card-header">
        <div>
          <h3 className="models-card-title">{entry.name}</h3>
          <p className="models-muted">{entry.description}</p>
        </div>
        <div className="models-card-badges">
          <FitBadge fit={entry.fit} />
          <LicenceBadge licence={entry.licence} />
        </div>
      </header>
      <p className="models-muted">
        {entry.parameters} parameters · {entry.quantization} · {formatBytes(entry.sizeBytes)} download · needs about {formatBytes(entry.ramBytes)} RAM
      </p>
      <p className="mono models-muted">{entry.uri}</p>
      <div className="models-card-actions">
        {entry.inLibrary ? (
          <span className="badge badge--accent">In the library</span>
        ) : (
          <Button size="sm" variant="primary" busy={busy} disabled={offline} title={offline ? OFFLINE_REASON : undefined} onClick={onDownload} aria-label={`Download ${entry.name}`}>
            Download
          </Button>
        )}
      </div>
    </article>
  );
}
