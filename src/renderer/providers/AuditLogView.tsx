import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { ErrorBanner, errorMessage } from '../ui/ErrorBanner';
import { formatBytes } from '../../shared/format';

const PAGE = 50;

function download(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

/** The append-only log of every outbound request, paged (newest first), with chain verification and export. */
export function AuditLogView() {
  const client = useClient();
  const [offset, setOffset] = useState(0);
  const page = useQuery({ queryKey: ['audit', offset], queryFn: () => call(client, 'audit.list', { offset, limit: PAGE }) });
  const verify = useMutation({ mutationFn: () => call(client, 'audit.verify', {}) });
  const exporter = useMutation({
    mutationFn: (format: 'csv' | 'json') => call(client, 'audit.export', { format }),
    onSuccess: (r) => download(r.filename, r.content, r.format === 'csv' ? 'text/csv' : 'application/json'),
  });
  const total = page.data?.total ?? 0;
  return (
    <div className="card audit-log" aria-label="Audit log">
      <div className="audit-actions">
        <Button size="sm" onClick={() => verify.mutate()} busy={verify.isPending}>
          Verify chain
        </Button>
        <Button size="sm" onClick={() => exporter.mutate('csv')} busy={exporter.isPending && exporter.variables === 'csv'}>
          Export CSV
        </Button>
        <Button size="sm" onClick={() => exporter.mutate('json')} busy={exporter.isPending && exporter.variables === 'json'}>
          Export JSON
        </Button>
        <span role="status" data-testid="audit-verify">
          {verify.data && (verify.data.ok ? `Chain intact (${verify.data.rows} rows)` : `Chain broken${verify.data.brokenAtRow === null ? '' : ` at row ${verify.data.brokenAtRow}`}: ${verify.data.reason}`)}
          {verify.error && errorMessage(verify.error)}
        </span>
      </div>
      {page.error && <ErrorBanner title="Could not load the audit log" error={page.error} onRetry={() => void page.refetch()} />}
      {page.data && page.data.rows.length === 0 && <p className="section-description">No outbound requests yet.</p>}
      {page.data && page.data.rows.length > 0 && (
        <div className="audit-table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">Outbound requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Provider</th>
                <th scope="col">Host</th>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Tokens in/out</th>
                <th scope="col">Sent</th>
                <th scope="col">Received</th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {page.data.rows.map((r) => (
                <tr key={r.id}>
                  <td className="mono">{new Date(r.time).toLocaleString()}</td>
                  <td>{r.provider}</td>
                  <td className="mono">{r.host}</td>
                  <td>{r.model ?? '—'}</td>
                  <td>{r.status}</td>
                  <td>
                    {r.inputTokens ?? '—'} / {r.outputTokens ?? '—'}
                  </td>
                  <td>{formatBytes(r.bytesSent)}</td>
                  <td>{formatBytes(r.bytesReceived)}</td>
                  <td className="mono">{r.requestId ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > PAGE && (
        <div className="audit-pager">
          <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Newer
          </Button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
          </span>
          <Button size="sm" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            Older
          </Button>
        </div>
      )}
    </div>
  );
}
