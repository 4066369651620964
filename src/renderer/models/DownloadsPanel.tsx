import { useId, useState, type FormEvent } from 'react';
import type { Download } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { formatBytes } from '../../shared/format';
import { ProgressBar } from '../ui/ProgressBar';
import { useModelActions } from './useModels';

const STATUS_TEXT: Record<Download['status'], string> = {
  downloading: 'Downloading',
  paused: 'Paused',
  interrupted: 'Interrupted',
  verifying: 'Verifying sha256',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function eta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `, ${Math.ceil(seconds)} s left`;
  return `, ${Math.ceil(seconds / 60)} min left`;
}

/** Any https URL or hf:<user>/<repo>/<file>.gguf; the catalogue below covers the common picks. */
export function DownloadForm() {
  const { startDownload } = useModelActions();
  const id = useId();
  const [source, setSource] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!source.trim()) return;
    startDownload.mutate({ source: source.trim() }, { onSuccess: () => setSource('') });
  };
  return (
    <form className="card models-form" onSubmit={submit} aria-label="Download a model">
      <label htmlFor={id} className="field-label">
        Model URL
      </label>
      <input
        id={id}
        className="input mono"
        value={source}
        onChange={(e) => setSource(e.target.value)}
        placeholder="hf:user/repo/model.gguf or https://…/model.gguf"
        spellCheck={false}
        autoComplete="off"
      />
      <p className="field-hint">The sha256 the host publishes is checked before the model joins the library.</p>
      <Button type="submit" busy={startDownload.isPending} disabled={!source.trim()}>
        Download
      </Button>
      {startDownload.error && <ErrorBanner title="Could not start the download" error={startDownload.error} onDismiss={() => startDownload.reset()} />}
    </form>
  );
}

export function DownloadsPanel({ downloads }: { downloads: Download[] }) {
  const { downloadAction } = useModelActions();
  const visible = downloads.filter((d) => d.status !== 'cancelled');
  if (visible.length === 0) return <p className="models-muted">No downloads yet. Paste a model URL above or pick one from the catalogue below.</p>;
  const act = (route: 'models.download.pause' | 'models.download.resume' | 'models.download.cancel', id: string) =>
    downloadAction.mutate({ route, id });
  return (
    <ul className="models-list" aria-label="Downloads">
      {visible.map((d) => {
        const valueText = `${formatBytes(d.receivedBytes)}${d.totalBytes ? ` of ${formatBytes(d.totalBytes)}` : ''}${
          d.status === 'downloading' && d.bytesPerSecond > 0 ? ` · ${formatBytes(d.bytesPerSecond)}/s${eta(d.etaSeconds)}` : ''
        }`;
        const active = d.status === 'downloading' || d.status === 'verifying';
        const resumable = d.status === 'paused' || d.status === 'interrupted' || d.status === 'failed';
        return (
          <li key={d.id} className="card models-card">
            <ProgressBar
              label={`${d.fileName} — ${STATUS_TEXT[d.status]}`}
              value={d.status === 'verifying' ? null : d.status === 'completed' ? 1 : d.totalBytes ? d.receivedBytes : null}
              max={d.status === 'completed' ? 1 : (d.totalBytes ?? 1)}
              valueText={d.status === 'completed' ? 'Added to the library' : valueText}
            />
            {d.error && (
              <p className={d.status === 'failed' ? 'models-error' : 'models-warning'} role={d.status === 'failed' ? 'alert' : undefined}>
                {d.error}
              </p>
            )}
            <div className="models-card-actions">
              {d.status === 'downloading' && (
                <Button size="sm" onClick={() => act('models.download.pause', d.id)}>
                  Pause
                </Button>
              )}
              {resumable && (
                <Button size="sm" onClick={() => act('models.download.resume', d.id)}>
                  {d.status === 'failed' ? 'Retry' : 'Resume'}
                </Button>
              )}
              {(active || resumable) && (
                <Button size="sm" variant="ghost" onClick={() => act('models.download.cancel', d.id)}>
                  Cancel
                </Button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
