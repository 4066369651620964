/**
 * Toast: short, non-blocking notices at the foot of the sidebar, optionally with one action
 * (typically "Undo" after a destructive change). Announced politely to screen readers.
 *
 * Mount <ToastProvider> once (the app shell does). Then, anywhere below it:
 *
 *   const toast = useToast();
 *   toast.show({ message: 'Chat deleted', actionLabel: 'Undo', onAction: () => restore(id) });
 *
 * ToastOptions:
 *   message: string
 *   actionLabel?: string, onAction?: () => void — the action button; clicking it also closes the toast.
 *   durationMs?: number — default 5000, or 8000 with an action (time to reach Undo). The timer
 *                         pauses while the pointer or keyboard focus is on the toast.
 *
 * They sit over the sidebar's empty middle, never over the page, so no Send or Stop hides under
 * one; and they belong to the page they were raised on: the shell calls `clear()` on navigation.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button } from './Button';

export interface ToastOptions {
  message: string;
  actionLabel?: string;
  onAction?: () => void;
  durationMs?: number;
}

export interface ToastApi {
  show(options: ToastOptions): void;
  /** Closes every toast (the shell does this when the page changes). */
  clear(): void;
}

interface ToastItem extends ToastOptions {
  id: number;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast outside ToastProvider');
  return api;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setItems((list) => list.filter((t) => t.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show: (options) => {
        const id = nextId.current++;
        // Keep the last few: a burst of notices should not cover the page.
        setItems((list) => [...list.slice(-2), { ...options, id }]);
      },
      clear: () => setItems((list) => (list.length === 0 ? list : [])),
    }),
    [],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <ol className="toast-region" aria-label="Notifications" aria-live="polite">
        {items.map((item) => (
          <Toast key={item.id} item={item} onClose={() => dismiss(item.id)} />
        ))}
      </ol>
    </ToastContext.Provider>
  );
}

function Toast({ item, onClose }: { item: ToastItem; onClose: () => void }) {
  const [paused, setPaused] = useState(false);
  const duration = item.durationMs ?? (item.onAction ? 8000 : 5000);
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  });
  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(() => closeRef.current(), duration);
    return () => clearTimeout(timer);
  }, [paused, duration]);

  return (
    <li
      className="toast"
      role="status"
      onPointerEnter={() => setPaused(true)}
      onPointerLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <span className="toast-message">{item.message}</span>
      {item.actionLabel && item.onAction && (
        <Button
          size="sm"
          onClick={() => {
            item.onAction?.();
            onClose();
          }}
        >
          {item.actionLabel}
        </Button>
      )}
      <Button size="sm" variant="ghost" aria-label="Dismiss notification" onClick={onClose}>
        ×
      </Button>
    </li>
  );
}
