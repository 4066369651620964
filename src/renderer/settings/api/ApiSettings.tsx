import { useState } from 'react';
import { useClient } from '../../api/ClientContext';
import { Button } from '../../ui/Button';
import { ErrorBanner, errorMessage } from '../../ui/ErrorBanner';
import { Field } from '../../ui/Field';
import { useAppInfo } from '../AboutPanel';
import { NumberSetting, SwitchSetting } from '../SettingControls';
import { useSetSetting, useSetting } from '../useSettings';
import { ApiKeysPanel } from './ApiKeysPanel';
import { ApiRequestLogView } from './ApiRequestLogView';
import { apiSnippet, SNIPPET_LABELS, type SnippetKind } from './apiSnippets';
import { useApiStatus, useSnippetModel } from './useApi';
import { useCopy } from './useCopy';
import './api.css';

function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || h.startsWith('127.');
}

/** The desktop app's own API port: off by default, loopback unless the user types another address. */
function ApiPortSettings() {
  const host = useSetting('apiServerHost');
  const save = useSetSetting('apiServerHost', { optimistic: false });
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? host ?? '';
  const commit = (): void => {
    if (draft === null || draft.trim() === host) return setDraft(null);
    save.mutate(draft.trim(), { onSuccess: () => setDraft(null) });
  };
  const status = useApiStatus().data?.listener ?? null;
  return (
    <div className="card">
      <SwitchSetting settingKey="apiServerEnabled" label="Serve the API on a port" hint="Off by default. Every request still needs an API key." />
      <Field
        label="Address"
        hint="127.0.0.1 keeps the API on this computer. Another address lets other machines reach it."
        error={save.error ? errorMessage(save.error) : null}
      >
        {(props) => (
          <input
            {...props}
            className="input"
            value={shown}
            spellCheck={false}
            disabled={host === undefined}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setDraft(null);
            }}
          />
        )}
      </Field>
      {shown && !isLoopback(shown) && (
        <p className="api-warning" role="alert">
          Warning: listening on {shown} makes the API reachable from other machines on your network. Anyone with one of your API keys can use your models and
          your cloud keys through it.
        </p>
      )}
      <NumberSetting settingKey="apiServerPort" label="Port" hint="1–65535." min={1} max={65535} />
      <p className="field-hint" role="status" data-testid="api-port-status">
        {status === null ? '' : status.running ? `Listening at ${status.baseUrl}` : status.error ? `Not listening: ${status.error}` : 'Not listening.'}
      </p>
    </div>
  );
}

function Snippets({ baseUrl }: { baseUrl: string }) {
  const [kind, setKind] = useState<SnippetKind>('curl');
  const model = useSnippetModel();
  const copy = useCopy();
  const text = apiSnippet(kind, baseUrl, model);
  const kinds = Object.keys(SNIPPET_LABELS) as SnippetKind[];
  return (
    <div className="api-snippets">
      <div role="tablist" aria-label="Code snippet language" className="api-snippet-tabs">
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            id={`api-snippet-tab-${k}`}
            aria-selected={kind === k}
            aria-controls="api-snippet-panel"
            tabIndex={kind === k ? 0 : -1}
            className={kind === k ? 'api-snippet-tab api-snippet-tab--on' : 'api-snippet-tab'}
            onClick={() => setKind(k)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = kinds[(kinds.indexOf(kind) + step + kinds.length) % kinds.length]!;
              setKind(next);
              document.getElementById(`api-snippet-tab-${next}`)?.focus();
            }}
          >
            {SNIPPET_LABELS[k]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="api-snippet-panel" aria-labelledby={`api-snippet-tab-${kind}`}>
        <pre className="mono api-snippet" data-testid="api-snippet">
          {text}
        </pre>
        <Button size="sm" onClick={() => copy(text, 'snippet')}>
          Copy snippet
        </Button>
        <p className="field-hint">Set PARITY_API_KEY to a key from below; the snippet never contains one.</p>
      </div>
    </div>
  );
}

/** Settings → API: use Parity's models from your own tools through an OpenAI-compatible endpoint. */
export function ApiSettings() {
  const client = useClient();
  const info = useAppInfo();
  const status = useApiStatus();
  const copy = useCopy();
  const desktop = info.data?.mode === 'desktop';
  // In a browser the page's own origin is the address that works from where the user is.
  const baseUrl = client.transport === 'http' ? `${window.location.origin}/v1` : (status.data?.listener?.baseUrl ?? null);
  return (
    <div className="api-settings">
      <p className="section-description">
        Scripts, notebooks and tools that speak OpenAI&apos;s API can use every model Parity runs. Local models stay on this device; cloud models go through the
        same offline switch and outbound request log as the app.
      </p>
      {status.error && <ErrorBanner title="Could not read the API status" error={status.error} onRetry={() => void status.refetch()} />}
      <div className="card">
        <div className="api-base-url">
          <span className="field-label">Base URL</span>
          {baseUrl ? (
            <>
              <code className="mono" data-testid="api-base-url">
                {baseUrl}
              </code>
              <Button size="sm" onClick={() => copy(baseUrl, 'base URL')}>
                Copy
              </Button>
            </>
          ) : (
            <span className="field-hint">Turn on the API port below to get an address.</span>
          )}
        </div>
        {baseUrl && <Snippets baseUrl={baseUrl} />}
      </div>
      {desktop && <ApiPortSettings />}
      <h3 className="section-title">API keys</h3>
      <ApiKeysPanel />
      <h3 className="section-title">Recent requests</h3>
      <ApiRequestLogView />
    </div>
  );
}
