import type { ApiRequestEntry } from '../../../shared/contract';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Spinner } from '../../ui/Spinner';
import { useApiRequests } from './useApi';

function ms(value: number | null): string {
  return value === null ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`;
}

function where(entry: ApiRequestEntry): string {
  if (entry.local === null) return '–';
  return entry.local ? 'stayed on this device' : 'sent to the provider (audited)';
}

/** The last 200 API requests, newest first, updated live from `api.request` events. */
export function ApiRequestLogView() {
  const requests = useApiRequests();
  if (requests.isPending) return <Spinner label="Loading recent requests…" showLabel />;
  if (requests.error) return <ErrorBanner title="Could not load recent API requests" error={requests.error} onRetry={() => void requests.refetch()} />;
  if (requests.data.length === 0) return <p className="section-description">No API requests yet since Parity started.</p>;
  return (
    <div className="api-log-wrap" aria-live="off">
      <table className="data-table api-table api-log">
        <caption className="visually-hidden">Recent API requests, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Key</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Model</th>
            <th scope="col">Tokens in/out</th>
            <th scope="col">TTFT</th>
            <th scope="col">Total</th>
            <th scope="col">Status</th>
            <th scope="col">Where</th>
          </tr>
        </thead>
        <tbody>
          {requests.data.map((r) => (
            <tr key={r.id} className={r.status >= 400 ? 'api-log-error' : undefined}>
              <td className="mono">{new Date(r.time).toLocaleTimeString()}</td>
              <td>{r.keyName ?? <span className="field-hint">no valid key</span>}</td>
              <td className="mono">
                {r.endpoint}
                {r.stream ? ' (stream)' : ''}
              </td>
              <td className="mono">{r.model ?? '–'}</td>
              <td>
                {r.promptTokens ?? '–'} / {r.completionTokens ?? '–'}
              </td>
              <td>{ms(r.ttftMs)}</td>
              <td>{ms(r.totalMs)}</td>
              <td title={r.error ?? undefined}>{r.status}</td>
              <td>{where(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
