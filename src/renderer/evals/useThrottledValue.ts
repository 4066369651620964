import { useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once per `ms` (the latest one, trailing); `ms` 0 passes it on at the
 * next tick. For a view too costly to redraw each time its data changes while a run streams.
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, last.current + ms - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [value, shown, ms]);
  return shown;
}
