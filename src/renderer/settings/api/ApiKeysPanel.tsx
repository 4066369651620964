import { useState } from 'react';
import { Button } from '../../ui/Button';
import { ErrorBanner, errorMessage } from '../../ui/ErrorBanner';
import { Spinner } from '../../ui/Spinner';
import { useCopy } from './useCopy';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from './useApi';

/** API keys: create (the full key is shown once, here), list by last four characters, revoke. */
export function ApiKeysPanel() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const copy = useCopy();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const submit = (): void => {
    const trimmed = name.trim();
    if (!trimmed) return;
    create.mutate(trimmed, {
      onSuccess: (created) => {
        setShown({ name: created.name, key: created.key });
        setName('');
      },
    });
  };
  return (
    <div className="card api-keys" aria-label="API keys">
      <form
        className="api-key-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field-label" htmlFor="api-key-name">
          New key name
        </label>
        <input id="api-key-name" className="input" value={name} maxLength={64} placeholder="e.g. notebook, ci, vscode" onChange={(e) => setName(e.target.value)} />
        <Button type="submit" variant="primary" size="sm" busy={create.isPending} disabled={!name.trim()}>
          Create key
        </Button>
      </form>
      {create.error && <p className="field-error" role="alert">{errorMessage(create.error)}</p>}
      {shown && (
        <div className="api-key-once" role="status" aria-label="New API key">
          <p>
            <strong>Key “{shown.name}”:</strong> copy it now. It is shown only this once; Parity keeps only a hash of it.
          </p>
          <code className="mono api-key-value" data-testid="api-key-value">
            {shown.key}
          </code>
          <div className="api-key-once-actions">
            <Button size="sm" onClick={() => copy(shown.key, 'API key')}>
              Copy key
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setShown(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      {keys.isPending && <Spinner label="Loading keys…" showLabel />}
      {keys.error && <ErrorBanner title="Could not load API keys" error={keys.error} onRetry={() => void keys.refetch()} />}
      {keys.data && keys.data.length === 0 && <p className="section-description">No keys yet. Every request to the API needs one.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="data-table api-table">
          <caption className="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td className="mono">…{k.last4}</td>
                <td>{new Date(k.createdAt).toLocaleString()}</td>
                <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
                <td>
                  {k.revokedAt ? (
                    <span className="badge">Revoked</span>
                  ) : (
                    <Button size="sm" variant="danger" aria-label={`Revoke key ${k.name}`} busy={revoke.isPending && revoke.variables === k.id} onClick={() => revoke.mutate(k.id)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoke.error && <p className="field-error" role="alert">{errorMessage(revoke.error)}</p>}
    </div>
  );
}
