import { useState } from 'react';
import type { EventPayload, Model } from '../../shared/contract';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { formatBytes, formatTokens } from '../../shared/format';
import { ProgressBar } from '../ui/ProgressBar';
import { FitBadge, LicenceBadge } from './ModelBadges';
import { localRef } from '../../shared/domain/modelRef';

export function formatParams(count: number | null): string {
  if (count === null) return '—';
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  return `${(count / 1e3).toFixed(1)}K`;
}

export interface LibraryListProps {
  models: Model[];
  hashing: Map<string, EventPayload<'models.hashProgress'>>;
  onRemove: (model: Model) => void;
}

export function LibraryList({ models, hashing, onRemove }: LibraryListProps) {
  if (models.length === 0) {
    return (
      <EmptyState title="No models yet">
        Import a GGUF file from disk below, scan a folder of models, or download one from the catalogue.
      </EmptyState>
    );
  }
  return (
    <ul className="models-list" aria-label="Library">
      {models.map((model) => (
        <li key={model.id}>
          <ModelCard model={model} hash={hashing.get(model.id)} onRemove={() => onRemove(model)} />
        </li>
      ))}
    </ul>
  );
}

function ModelCard({ model, hash, onRemove }: { model: Model; hash?: EventPayload<'models.hashProgress'>; onRemove: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const hashingNow = !model.sha256 && hash?.state === 'hashing';
  return (
    <article className="card models-card" aria-label={model.name}>
      <header className="models-card-header">
        <div>
          <h3 className="models-card-title">{model.name}</h3>
          <p className="models-card-file mono" title={model.path}>
            {model.fileName} · {model.storage === 'copy' ? 'in the library' : 'linked in place'}
            {!model.fileExists && <span className="badge models-badge--danger"> file missing</span>}
          </p>
        </div>
        <div className="models-card-badges">
          <FitBadge fit={model.fit} />
          <LicenceBadge licence={model.licence} />
        </div>
      </header>
      <ModelRef modelId={model.id} />
      <dl className="models-meta">
        <div>
          <dt>Architecture</dt>
          <dd>{model.architecture ?? '—'}</dd>
        </div>
        <div>
          <dt>Parameters</dt>
          <dd>{formatParams(model.parameterCount)}</dd>
        </div>
        <div>
          <dt>Quantisation</dt>
          <dd>{model.quantization ?? '—'}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(model.sizeBytes)}</dd>
        </div>
        <div>
          <dt>Context</dt>
          <dd>{model.trainContextSize ? `${formatTokens(model.trainContextSize)} trained` : '—'}</dd>
        </div>
        <div>
          <dt>Chat template</dt>
          <dd>{model.hasChatTemplate ? 'Present' : 'None (a default is used)'}</dd>
        </div>
      </dl>
      {model.licence.warning && <p className="models-warning">{model.licence.warning}</p>}
      {model.metadataWarning && <p className="models-warning">{model.metadataWarning}</p>}
      <div className="models-hash">
        {model.sha256 ? (
          <span className="mono models-sha" title="sha256">
            sha256 {model.sha256}
          </span>
        ) : hashingNow ? (
          <ProgressBar label="Computing sha256" value={hash.bytes} max={hash.total || 1} />
        ) : (
          <span className="models-muted">sha256 {model.hashState === 'failed' ? 'could not be computed' : 'pending'}</span>
        )}
      </div>
      <div className="models-card-actions">
        {confirming ? (
          <>
            <span role="status">
              {model.storage === 'copy'
                ? 'Remove this model and delete its copy in the library folder?'
                : 'Remove this model from the library? The linked file stays where it is.'}
            </span>
            <Button size="sm" variant="danger" onClick={onRemove}>
              Confirm removal
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </>
        ) : (
          <Button size="sm" onClick={() => setConfirming(true)} aria-label={`Remove ${model.name}`}>
            Remove
          </Button>
        )}
      </div>
    </article>
  );
}

/** The ref the CLI and the pickers take (`parity chat --model local:<id>`), with a copy button. */
function ModelRef({ modelId }: { modelId: string }) {
  const ref = localRef(modelId);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (): void => {
    navigator.clipboard.writeText(ref).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <p className="models-ref">
      <code className="mono" data-testid="model-ref">
        {ref}
      </code>
      <Button size="sm" variant="ghost" aria-label={`Copy ${ref}`} onClick={copy}>
        Copy
      </Button>
      <span role="status" className="models-muted">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Could not copy: select the text instead' : ''}
      </span>
    </p>
  );
}
