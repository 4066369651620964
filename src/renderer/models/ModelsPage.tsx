import { useEffect, useRef, useState } from 'react';
import type { Model } from '../../shared/contract';
import { ErrorBanner } from '../ui/ErrorBanner';
import { formatBytes } from '../../shared/format';
import { Page } from '../ui/Page';
import { Spinner } from '../ui/Spinner';
import { useToast } from '../ui/Toast';
import { CataloguePanel } from './CataloguePanel';
import { DownloadForm, DownloadsPanel, OFFLINE_REASON } from './DownloadsPanel';
import { useSetting } from '../settings/useSettings';
import { ImportPanel } from './ImportPanel';
import { LibraryList } from './LibraryList';
import { useDownloads, useHardware, useHashProgress, useModelActions, useModelList } from './useModels';
import './models.css';

/** How long a removal waits for "Undo" before it reaches main (and, for a copied model, deletes the file). */
const UNDO_MS = 8000;

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="section" aria-label={title}>
      <h2 className="section-title">{title}</h2>
      {children}
    </section>
  );
}

export function ModelsPage() {
  const models = useModelList();
  const hashing = useHashProgress();
  const downloads = useDownloads();
  const hardware = useHardware();
  const { remove } = useModelActions();
  const toast = useToast();
  const offline = useSetting('offline') === true;
  const [pendingRemoval, setPendingRemoval] = useState<Set<string>>(() => new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  // Leaving the page commits any removal still waiting, as the toast promised.
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const [id, timer] of pending) {
        clearTimeout(timer);
        remove.mutate(id);
      }
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const requestRemoval = (model: Model) => {
    setPendingRemoval((s) => new Set(s).add(model.id));
    const undo = () => {
      clearTimeout(timers.current.get(model.id));
      timers.current.delete(model.id);
      setPendingRemoval((s) => {
        const next = new Set(s);
        next.delete(model.id);
        return next;
      });
    };
    timers.current.set(
      model.id,
      setTimeout(() => {
        timers.current.delete(model.id);
        remove.mutate(model.id, { onSettled: undo });
      }, UNDO_MS),
    );
    toast.show({ message: `Removed ${model.name}.`, actionLabel: 'Undo', onAction: undo, durationMs: UNDO_MS });
  };

  const activeUris = new Set((downloads.data ?? []).filter((d) => d.status === 'downloading' || d.status === 'verifying').map((d) => d.source));
  const hw = hardware.data;

  return (
    <Page
      title="Models"
      description={
        hw
          ? `GGUF models on this machine · ${hw.backend === 'cpu' ? 'CPU' : hw.backend.toUpperCase()} backend${hw.gpuDevices.length ? ` (${hw.gpuDevices.join(', ')})` : ''} · ${formatBytes(hw.ramTotalBytes)} RAM${hw.vramTotalBytes ? ` · ${formatBytes(hw.vramTotalBytes)} VRAM` : ''}`
          : 'GGUF models on this machine.'
      }
    >
      <Section title="Library">
        {models.isPending && <Spinner label="Reading the library…" showLabel />}
        {models.error && <ErrorBanner title="Could not load models" error={models.error} onRetry={() => void models.refetch()} />}
        {models.data && (
          <LibraryList models={models.data.filter((m) => !pendingRemoval.has(m.id))} hashing={hashing} onRemove={requestRemoval} />
        )}
        {remove.error && <ErrorBanner title="Could not remove the model" error={remove.error} onDismiss={() => remove.reset()} />}
      </Section>

      <Section title="Add a model">
        <ImportPanel />
      </Section>

      <Section title="Downloads">
        {downloads.error && <ErrorBanner title="Could not load downloads" error={downloads.error} onRetry={() => void downloads.refetch()} />}
        {offline && (
          <p className="models-warning" data-testid="offline-note">
            {OFFLINE_REASON}
          </p>
        )}
        <div className="models-stack">
          <DownloadForm offline={offline} />
          {downloads.data && <DownloadsPanel downloads={downloads.data} offline={offline} />}
        </div>
      </Section>

      <Section title="Catalogue">
        <CataloguePanel downloading={activeUris} offline={offline} />
      </Section>
    </Page>
  );
}
