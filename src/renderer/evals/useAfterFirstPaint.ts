import { startTransition, useEffect, useState } from 'react';

/**
 * False on a component's first render, true from a later task on (rendered as a transition, which
 * React time-slices). A view that would make the first commit a long task shows its cheap parts
 * first and mounts the costly one after them, so opening it is two shorter tasks instead of one.
 */
export function useAfterFirstPaint(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // After the next frame, not just the next task: that frame lays out and paints the first
    // commit, which the costly part would otherwise force (and pay for) when it measures itself.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setReady(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return ready;
}
