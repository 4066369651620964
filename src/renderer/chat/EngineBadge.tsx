import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';

/** The llama.cpp backend and device in use, and how many models are loaded. */
export function EngineBadge() {
  const client = useClient();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['engine', 'status'], queryFn: () => call(client, 'engine.status', {}), staleTime: 30_000 });
  useParityEvent('engine.changed', () => void queryClient.invalidateQueries({ queryKey: ['engine', 'status'] }));
  if (!status.data) return null;
  const { backend, devices, loaded } = status.data;
  const device = devices[0] ? ` · ${devices[0]}` : '';
  return (
    <span className="badge" title={loaded.map((m) => m.name).join(', ') || 'No model loaded'}>
      Engine: {backend}
      {device} · {loaded.length} loaded
    </span>
  );
}
