import { useQuery } from '@tanstack/react-query';
import { isLocal } from '../../shared/domain/modelRef';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';

/**
 * Where a prompt to `modelRef` goes, asked of main (which knows base URLs and endpoints):
 * "Stays on this device" or "Sent to api.openai.com". Shown in chat and before an eval run.
 */
export function DestinationBadge({ modelRef }: { modelRef: string | null }) {
  const client = useClient();
  const dest = useQuery({
    queryKey: ['providers', 'destination', modelRef],
    queryFn: () => call(client, 'providers.destination', { ref: modelRef! }),
    enabled: !!modelRef,
  });
  if (!modelRef) return null;
  const local = dest.data ? dest.data.local : isLocal(modelRef);
  if (local) {
    return (
      <span className="badge badge--accent" data-testid="destination-badge">
        Stays on this device
      </span>
    );
  }
  return (
    <span className="badge badge--warning" data-testid="destination-badge" title="Your prompt and the conversation so far are sent to this host">
      {dest.data?.host ? `Sent to ${dest.data.host}` : dest.error ? 'Leaves this device' : 'Sent to …'}
    </span>
  );
}
