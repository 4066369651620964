import { Button } from '../ui/Button';
import { errorMessage } from '../ui/ErrorBanner';

/** Shown when the page was opened without the `?token=` that `parity serve` prints. */
export function NoTokenScreen() {
  return (
    <div className="notice-screen">
      <div className="card notice-card" role="alert">
        <h1>Open the link from parity serve</h1>
        <p>
          This page needs the access token that <code>parity serve</code> printed when it started. Open the full URL it printed (it ends in{' '}
          <code>?token=…</code>) in this browser.
        </p>
        <p>The token keeps other programs and web pages on this machine from using your models, keys and data.</p>
      </div>
    </div>
  );
}

/** Shown when Parity cannot be reached at start-up, or the token was rejected. */
export function ConnectionScreen({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="notice-screen">
      <div className="card notice-card" role="alert">
        <h1>Cannot reach Parity</h1>
        <p>{errorMessage(error)}</p>
        <p>
          If <code>parity serve</code> was restarted, open the new URL it printed: each start uses a new token.
        </p>
        <p>
          <Button variant="primary" onClick={onRetry}>
            Try again
          </Button>
        </p>
      </div>
    </div>
  );
}

/** The last line of defence: the whole shell failed to render. */
export function FatalScreen({ error }: { error: unknown }) {
  return (
    <div className="notice-screen">
      <div className="card notice-card" role="alert">
        <h1>Parity hit an unexpected error</h1>
        <p className="mono">{errorMessage(error)}</p>
        <p>Your data is safe: it is saved as you go. Reloading usually recovers.</p>
        <p>
          <Button variant="primary" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </p>
      </div>
    </div>
  );
}
