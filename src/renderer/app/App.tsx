import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useRef } from 'react';
import type { AppInfo } from '../../shared/contract';
import { useParityEvent } from '../api/ClientContext';
import { APP_INFO_QUERY_KEY, useAppInfo } from '../settings/AboutPanel';
import { useSetting, useSettingsSync } from '../settings/useSettings';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Spinner } from '../ui/Spinner';
import { ToastProvider, useToast } from '../ui/Toast';
import { ErrorBoundary } from './ErrorBoundary';
import { BrandMark } from './icons';
import { ConnectionScreen } from './Notices';
import { PAGE_IDS, PAGES, type PageDef, type PageId } from './pages';
import { hrefFor, useHashRoute } from './useHashRoute';
import { ariaShortcut, shortcutLabel, useNavShortcuts } from './useNavShortcuts';
import { useThemeSetting } from './useThemeSetting';

/** Moves focus to the page's `<h1>` so keyboard and screen-reader users land on the new page. */
function focusPageHeading(main: HTMLElement | null): void {
  if (!main) return;
  const heading = main.querySelector<HTMLElement>('h1');
  const target = heading ?? main;
  if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.focus({ preventScroll: false });
}

/** The background integrity check reports after start-up; its result lands in the app info. */
function useStoreHealthSync(): void {
  const queryClient = useQueryClient();
  useParityEvent('app.storeHealth', (store) => {
    queryClient.setQueryData<AppInfo>(APP_INFO_QUERY_KEY, (old) => (old ? { ...old, store } : old));
  });
}

/** Stays on every page while the database cannot be written, so no one types into a void. */
function StoreBanner({ store }: { store: AppInfo['store'] }) {
  if (!store.readOnly) return null;
  const title = store.integrity === 'damaged' ? 'The database is damaged: Parity has stopped saving' : 'The database is read-only: nothing new is saved';
  return (
    <div className="store-banner">
      <ErrorBanner title={title} error={store.message ?? 'Changes cannot be saved.'} />
    </div>
  );
}

export function App() {
  const info = useAppInfo();
  useSettingsSync();
  useStoreHealthSync();
  useThemeSetting();
  if (info.isPending) {
    return (
      <div className="notice-screen">
        <Spinner label="Connecting to Parity…" showLabel />
      </div>
    );
  }
  if (!info.data) return <ConnectionScreen error={info.error} onRetry={() => void info.refetch()} />;
  return (
    <ToastProvider>
      <Shell info={info.data} />
    </ToastProvider>
  );
}

function Shell({ info }: { info: AppInfo }) {
  const [page, go] = useHashRoute(PAGE_IDS, 'chat');
  const offline = useSetting('offline');
  const mainRef = useRef<HTMLElement>(null);
  const shownPage = useRef(page);
  const toast = useToast();
  const current = PAGES.find((p) => p.id === page) ?? PAGES[0]!;

  useNavShortcuts((index) => {
    const target = PAGES[index];
    if (target) go(target.id);
  }, PAGES.length);

  useEffect(() => {
    document.title = `${current.label} · Parity`;
  }, [current.label]);

  // A notice is about the page it was raised on; carried along, it only covers the next one.
  const toastPage = useRef(page);
  useEffect(() => {
    if (toastPage.current === page) return;
    toastPage.current = page;
    toast.clear();
  }, [page, toast]);

  // Only on navigation, not on first load: the initial focus belongs to the browser. Called once
  // the (lazily loaded) page has rendered, so its heading exists to take the focus.
  const onPageShown = useCallback((shown: PageId) => {
    if (shownPage.current === shown) return;
    shownPage.current = shown;
    focusPageHeading(mainRef.current);
  }, []);

  return (
    <div className="app">
      <a
        className="skip-link"
        href={hrefFor(page)}
        onClick={(event) => {
          event.preventDefault();
          focusPageHeading(mainRef.current);
        }}
      >
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">
            <BrandMark />
          </span>
          Parity
        </div>
        <nav aria-label="Main">
          <ul className="nav-list">
            {PAGES.map((p, index) => (
              <NavLink key={p.id} page={p} index={index} current={p.id === page} />
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {offline && (
            <span className="badge badge--warning" title="Remote providers and downloads are blocked. Change this in Settings.">
              Offline
            </span>
          )}
          <span title={`Parity ${info.version}, ${info.mode} mode`}>
            v{info.version} · {info.mode}
          </span>
        </div>
      </aside>
      <main id="main" className="main" ref={mainRef} tabIndex={-1}>
        <StoreBanner store={info.store} />
        <ErrorBoundary
          resetKey={page}
          fallback={(error, reset) => (
            <div className="page">
              <h1 tabIndex={-1}>{current.label}</h1>
              <p className="page-description">This page stopped working. Other pages still work.</p>
              <div style={{ marginTop: 'var(--space-4)' }}>
                <ErrorBanner title={`The ${current.label} page failed to render`} error={error} onRetry={reset} />
              </div>
            </div>
          )}
        >
          <Suspense
            key={page}
            fallback={
              <div className="page">
                <Spinner label={`Loading ${current.label}…`} showLabel />
              </div>
            }
          >
            <current.component />
            <PageShown page={page} onShown={onPageShown} />
          </Suspense>
        </ErrorBoundary>
      </main>
    </div>
  );
}

/** Inside the page's Suspense boundary: its effect runs only once the page itself has rendered. */
function PageShown({ page, onShown }: { page: PageId; onShown: (page: PageId) => void }) {
  useEffect(() => onShown(page), [page, onShown]);
  return null;
}

function NavLink({ page, index, current }: { page: PageDef; index: number; current: boolean }) {
  const shortcut = shortcutLabel(index + 1);
  return (
    <li>
      <a
        className="nav-link"
        href={hrefFor(page.id)}
        aria-current={current ? 'page' : undefined}
        aria-keyshortcuts={ariaShortcut(index + 1)}
        title={`${page.label} (${shortcut})`}
      >
        <page.icon />
        <span>{page.label}</span>
        <span className="nav-shortcut" aria-hidden="true">
          {shortcut}
        </span>
      </a>
    </li>
  );
}
