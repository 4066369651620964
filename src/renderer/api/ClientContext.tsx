import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { EventName, EventPayload } from '../../shared/contract';
import type { ParityClient } from './client';

const ClientContext = createContext<ParityClient | null>(null);

export function ClientProvider({ client, queryClient, children }: { client: ParityClient; queryClient: QueryClient; children: ReactNode }) {
  return (
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ClientContext.Provider>
  );
}

export function useClient(): ParityClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside ClientProvider');
  return client;
}

/** Subscribes to a main-process event for the life of the component. */
export function useParityEvent<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): void {
  const client = useClient();
  const ref = useRef(callback);
  useEffect(() => {
    ref.current = callback;
  });
  useEffect(() => client.on(event, (payload) => ref.current(payload)), [client, event]);
}
