import { useEffect } from 'react';
import type { SettingValue } from '../../shared/contract';
import { useSetting } from '../settings/useSettings';

type Theme = SettingValue<'theme'>;

/*
 * The last theme is also kept in localStorage so the first paint of the next launch already
 * has the right colours; the setting in the database stays the source of truth.
 */
const CACHE_KEY = 'parity.theme';

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if ((root.dataset.theme ?? 'system') === theme) return;
  // Without this, elements with colour transitions fade between schemes out of step.
  root.dataset.themeSwitching = '';
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
  requestAnimationFrame(() => requestAnimationFrame(() => delete root.dataset.themeSwitching));
}

/** Called before the first render. */
export function applyCachedTheme(): void {
  try {
    const cached = localStorage.getItem(CACHE_KEY);
    if (cached === 'light' || cached === 'dark' || cached === 'system') applyTheme(cached);
  } catch {
    // Storage can be unavailable (privacy modes); the OS scheme is a fine default.
  }
}

/** Applies the `theme` setting to `<html data-theme>`; `system` follows prefers-color-scheme. */
export function useThemeSetting(): void {
  const theme = useSetting('theme');
  useEffect(() => {
    if (!theme) return;
    applyTheme(theme);
    try {
      localStorage.setItem(CACHE_KEY, theme);
    } catch {
      // See applyCachedTheme.
    }
  }, [theme]);
}
