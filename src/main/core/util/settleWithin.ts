/**
 * Waits until every promise settles or `ms` pass, whichever is first. The timer is cleared
 * either way, so a finished wait never keeps the process alive (a CLI run would linger otherwise).
 */
export async function settleWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<'settled' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.allSettled(promises).then(() => 'settled' as const),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
