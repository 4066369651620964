import { useEffect, useRef } from 'react';

export const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** "⌘1" on macOS, "Ctrl+1" elsewhere: for titles and hints. */
export function shortcutLabel(digit: number): string {
  return IS_MAC ? `⌘${digit}` : `Ctrl+${digit}`;
}

/** The same shortcut in aria-keyshortcuts syntax. */
export function ariaShortcut(digit: number): string {
  return IS_MAC ? `Meta+${digit}` : `Control+${digit}`;
}

/** Ctrl/Cmd+1..n selects the n-th page, from anywhere in the window (inputs included). */
export function useNavShortcuts(onSelect: (index: number) => void, count: number): void {
  const ref = useRef(onSelect);
  useEffect(() => {
    ref.current = onSelect;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const modifier = IS_MAC ? event.metaKey : event.ctrlKey;
      if (!modifier || event.altKey || event.shiftKey) return;
      // `code` rather than `key`: Digit1 is the same key on AZERTY, where `key` is "&".
      const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
      if (!match) return;
      const index = Number(match[1]) - 1;
      if (index >= count) return;
      event.preventDefault();
      ref.current(index);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [count]);
}
