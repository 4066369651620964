import { useState } from 'react';
import type { ProviderStatus } from '../../shared/contract';
import { compatEndpointOf } from '../../shared/domain/modelRef';
import { Button } from '../ui/Button';
import { errorMessage } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { useProviderMutation } from './useProviders';

function keyText(p: ProviderStatus): string {
  if (!p.key.keySet) return p.keyEnv ? `No key set (or set ${p.keyEnv})` : 'No key set (not needed for most local servers)';
  const where = p.key.source === 'env' ? ` from ${p.keyEnv ?? 'the environment'}` : p.key.source === 'file' ? ' from the providers file' : '';
  // Short keys come without a last four (it would be most of the key).
  return `Key set${p.key.last4 ? ` (…${p.key.last4})` : ''}${where}`;
}

/** One remote provider: on/off, key status (never the key), save or remove a key. */
export function ProviderCard({ provider, offline }: { provider: ProviderStatus; offline: boolean }) {
  const [draft, setDraft] = useState('');
  const setKey = useProviderMutation('providers.setKey');
  const clearKey = useProviderMutation('providers.clearKey');
  const setEnabled = useProviderMutation('providers.setEnabled');
  const removeEndpoint = useProviderMutation('providers.removeEndpoint');
  const error = setKey.error ?? clearKey.error ?? setEnabled.error ?? removeEndpoint.error;
  const save = (): void => {
    if (draft.trim().length < 4) return;
    // The draft is dropped as soon as it is sent: the key never lives in renderer state longer.
    setKey.mutate({ provider: provider.id, key: draft.trim() }, { onSettled: () => setDraft('') });
  };
  return (
    <div className="card provider-card" aria-label={provider.label}>
      <div className="provider-card-head">
        <h3 className="provider-card-title">{provider.label}</h3>
        <span className="badge badge--warning">Sent to {provider.host ?? '?'}</span>
        {offline && <span className="badge">Blocked: Offline</span>}
      </div>
      <Field label={`Use ${provider.label}`} hint={provider.baseUrl ?? undefined}>
        {(props) => (
          <input
            {...props}
            type="checkbox"
            role="switch"
            className="switch"
            checked={provider.enabled}
            disabled={setEnabled.isPending}
            onChange={(e) => setEnabled.mutate({ provider: provider.id, enabled: e.target.checked })}
          />
        )}
      </Field>
      <p className="provider-key-status" data-testid={`key-status-${provider.id}`}>
        {keyText(provider)}
      </p>
      <form
        className="provider-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {/* Named per provider: four fields all called "API key" cannot be told apart by ear. */}
        <Field label={`${provider.label} API key`} layout="stacked">
          {(props) => (
            <input
              {...props}
              className="input"
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={draft}
              placeholder={provider.key.keySet ? 'Paste a new key to replace it' : 'Paste the key'}
              onChange={(e) => setDraft(e.target.value)}
            />
          )}
        </Field>
        <div className="provider-key-actions">
          <Button type="submit" variant="primary" size="sm" busy={setKey.isPending} disabled={draft.trim().length < 4}>
            Save key
          </Button>
          {provider.key.source === 'stored' && (
            <Button size="sm" variant="ghost" busy={clearKey.isPending} onClick={() => clearKey.mutate({ provider: provider.id })}>
              Remove key
            </Button>
          )}
          {provider.kind === 'compat' && provider.source === 'settings' && (
            <Button size="sm" variant="danger" busy={removeEndpoint.isPending} onClick={() => removeEndpoint.mutate({ name: compatEndpointOf(provider.id) ?? provider.id })}>
              Remove endpoint
            </Button>
          )}
        </div>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
