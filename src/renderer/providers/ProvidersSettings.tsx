import { ErrorBanner } from '../ui/ErrorBanner';
import { Spinner } from '../ui/Spinner';
import { AddEndpointForm } from './AddEndpointForm';
import { AuditLogView } from './AuditLogView';
import { PricesTable } from './PricesTable';
import { ProviderCard } from './ProviderCard';
import './providers.css';
import { useProvidersList } from './useProviders';

/** Settings → Providers: cloud providers and OpenAI-compatible endpoints, keys, switches, audit log. */
export function ProvidersSettings() {
  const list = useProvidersList();
  if (list.isPending) return <Spinner label="Loading providers…" showLabel />;
  if (list.error) return <ErrorBanner title="Could not load providers" error={list.error} onRetry={() => void list.refetch()} />;
  const { providers, protectionLabel, offline, presets } = list.data;
  const remote = providers.filter((p) => p.kind !== 'local');
  return (
    <div className="providers-settings">
      <p className="section-description">
        Local models never leave this device. A remote provider is only contacted when you pick one of its models.
        {offline && ' Offline is on: every remote request is blocked.'}
      </p>
      <p className="section-description" data-testid="key-protection">
        <strong>How keys are stored:</strong> {protectionLabel} Keys are never shown again after saving; only their last four characters.
      </p>
      <div className="provider-grid">
        {remote.map((p) => (
          <ProviderCard key={p.id} provider={p} offline={offline} />
        ))}
      </div>
      <AddEndpointForm presets={presets} />
      <h3 className="section-title">Prices</h3>
      <PricesTable />
      <h3 className="section-title">Outbound requests</h3>
      <AuditLogView />
    </div>
  );
}
