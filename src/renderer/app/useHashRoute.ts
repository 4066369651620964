import { useCallback, useEffect, useSyncExternalStore } from 'react';

/**
 * Hash routing in a few lines: `#/<page>/<rest...>`. A hash works the same whether the app is
 * loaded from `file://` (desktop) or from `parity serve`, and needs no server-side routes.
 */
export interface HashLocation {
  page: string;
  rest: string[];
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = (): string => window.location.hash;

export function parseHash(hash: string): HashLocation {
  const [page = '', ...rest] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { page, rest };
}

export function hrefFor(page: string, ...rest: string[]): string {
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}`;
}

/** Navigates by setting the hash, so Back/Forward work as in any web page. */
export function navigate(page: string, ...rest: string[]): void {
  window.location.hash = hrefFor(page, ...rest);
}

/** The current hash location; re-renders on every `hashchange`. */
export function useHashLocation(): HashLocation {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseHash(hash);
}

/** The current page id among `pages`, or `fallback` (the address bar is then corrected). */
export function useHashRoute<T extends string>(pages: readonly T[], fallback: T): [T, (page: T) => void] {
  const { page } = useHashLocation();
  const known = (pages as readonly string[]).includes(page);
  useEffect(() => {
    // Replace rather than push so an unknown address does not leave a dead Back entry.
    if (!known) window.history.replaceState(null, '', window.location.pathname + window.location.search + hrefFor(fallback));
  }, [known, fallback]);
  const go = useCallback((next: T) => navigate(next), []);
  return [known ? (page as T) : fallback, go];
}
