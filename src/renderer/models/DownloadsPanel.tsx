import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Download } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { ProgressBar } from '../ui/ProgressBar';
import { downloadView } from './downloadView';
import { useModelActions } from './useModels';

/** Why a network action is disabled while Offline: the button's tooltip and the page's note. */
export const OFFLINE_REASON = 'Offline mode is on: downloads are blocked. Turn it off in Settings → Offline.';

/** Any https URL or hf:<user>/<repo>/<file>.gguf; the catalogue below covers the common picks. */
export function DownloadForm({ offline }: { offline: boolean }) {
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
      <Button type="submit" busy={startDownload.isPending} disabled={!source.trim() || offline} title={offline ? OFFLINE_REASON : undefined}>
        Download
      </Button>
      {startDownload.error && <ErrorBanner title="Could not start the download" error={startDownload.error} onDismiss={() => startDownload.reset()} />}
    </form>
  );
}

export function DownloadsPanel({ downloads, offline }: { downloads: Download[]; offline: boolean }) {
  const { downloadAction } = useModelActions();
  const visible = downloads.filter((d) => d.status !== 'cancelled');
  // The "retry in 4 s" countdown needs a clock; it only runs while something is waiting.
  const [now, setNow] = useState(() => Date.now());
  const waiting = visible.some((d) => d.retry);
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);
  if (visible.length === 0) return <p className="models-muted">No downloads yet. Paste a model URL above or pick one from the catalogue below.</p>;
  const act = (route: 'models.download.pause' | 'models.download.resume' | 'models.download.cancel', id: string) =>
    downloadAction.mutate({ route, id });
  return (
    <ul className="models-list" aria-label="Downloads">
      {visible.map((d) => {
        const view = downloadView(d, now);
        const active = d.status === 'downloading' || d.status === 'verifying';
        const resumable = d.status === 'paused' || d.status === 'interrupted' || d.status === 'failed';
        return (
          <li key={d.id} className="card models-card" data-testid="download-row">
            <ProgressBar label={view.label} value={view.value} max={view.max} valueText={view.valueText} />
            {view.note && (
              <p className={view.note.kind === 'error' ? 'models-error' : 'models-warning'} role={view.note.kind === 'error' ? 'alert' : undefined}>
                {view.note.text}
              </p>
            )}
            <div className="models-card-actions">
              {d.status === 'downloading' && (
                <Button size="sm" onClick={() => act('models.download.pause', d.id)}>
                  Pause
                </Button>
              )}
              {resumable && (
                <Button size="sm" disabled={offline} title={offline ? OFFLINE_REASON : undefined} onClick={() => act('models.download.resume', d.id)}>
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
