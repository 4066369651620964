import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isAppError } from '../shared/errors';
import { createClient, takeTokenFromUrl } from './api/client';
import { ClientProvider } from './api/ClientContext';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { FatalScreen, NoTokenScreen } from './app/Notices';
import { applyCachedTheme } from './app/useThemeSetting';
import './ui/theme.css';
import './ui/components.css';
import './app/shell.css';

/** Only "could not reach the server" is worth retrying; a validation or auth error repeats. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && isAppError(error) && error.code === 'INTERNAL';
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

applyCachedTheme();
const root = createRoot(document.getElementById('root')!);

// Outside Electron the token arrives as `?token=`; takeTokenFromUrl also strips it from the
// address bar (and history) before anything renders.
if (!window.parity && takeTokenFromUrl() === null) {
  root.render(<NoTokenScreen />);
} else {
  const client = createClient();
  const queryClient = createQueryClient();
  root.render(
    <StrictMode>
      <ErrorBoundary fallback={(error) => <FatalScreen error={error} />}>
        <ClientProvider client={client} queryClient={queryClient}>
          <App />
        </ClientProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
}
