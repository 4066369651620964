/**
 * Long tasks (PerformanceObserver 'longtask': a main-thread task over 50 ms) of a page in the
 * browser benchmarks, read window by window.
 */
import type { Page } from '@playwright/test';

export interface LongTasks {
  longest: number;
  count: number;
  /** start+duration ms of each, from the start of the window. */
  log: string;
  from: number;
}

type Watched = { __longest: number; __tasks: number; __log: string[]; __t0: number };

/** Records the long tasks of every document the page loads from now on, from before its own scripts run. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Watched;
    w.__longest = 0;
    w.__tasks = 0;
    w.__log = [];
    w.__t0 = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        w.__tasks += 1;
        w.__longest = Math.max(w.__longest, entry.duration);
        w.__log.push(`${Math.round(entry.startTime - w.__t0)}+${Math.round(entry.duration)}`);
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Reads the long tasks seen since the last call (or the document's start) and starts a new window. */
export function takeLongTasks(page: Page): Promise<LongTasks> {
  return page.evaluate(() => {
    const w = window as unknown as Watched;
    const seen = { longest: w.__longest, count: w.__tasks, log: w.__log.join(' '), from: Math.round(w.__t0) };
    w.__longest = 0;
    w.__tasks = 0;
    w.__log = [];
    w.__t0 = performance.now();
    return seen;
  });
}
