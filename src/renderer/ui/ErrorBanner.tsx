/**
 * ErrorBanner: shows a failure with its actionable message (role="alert", announced at once).
 *
 * Props:
 *   error: unknown — an AppError from `call()` (its code is shown small), any Error, or a string.
 *   title?: string — what failed, e.g. "Could not load models" (default "Something went wrong").
 *   onRetry?: () => void — adds a "Try again" button.
 *   onDismiss?: () => void — adds a "Dismiss" button.
 *
 *   {query.error && <ErrorBanner title="Could not load models" error={query.error} onRetry={() => query.refetch()} />}
 */
import { Button } from './Button';

export interface ErrorBannerProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'An unexpected error occurred.';
}

function errorCode(error: unknown): string | null {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return null;
}

export function ErrorBanner({ error, title = 'Something went wrong', onRetry, onDismiss }: ErrorBannerProps) {
  const code = errorCode(error);
  return (
    <div className="error-banner" role="alert">
      <div className="error-banner-body">
        <p className="error-banner-title">{title}</p>
        <p>{errorMessage(error)}</p>
        {code && <p className="error-banner-code mono">{code}</p>}
      </div>
      {onRetry && (
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      )}
      {onDismiss && (
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Dismiss
        </Button>
      )}
    </div>
  );
}
