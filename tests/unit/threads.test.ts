import { describe, expect, it } from 'vitest';
import { resolveThreads } from '../../src/main/core/engine/threads';
import { settleWithin } from '../../src/main/core/util/settleWithin';
import { sleep } from '../../src/main/core/util/sleep';

describe('resolveThreads', () => {
  it('keeps an explicit setting', () => {
    expect(resolveThreads(3, 16)).toBe(3);
  });
  it('uses half the cores for automatic, at least one', () => {
    expect(resolveThreads(0, 2)).toBe(1);
    expect(resolveThreads(0, 1)).toBe(1);
    expect(resolveThreads(0, 16)).toBe(8);
  });
});

describe('settleWithin', () => {
  it('resolves when the promises settle and leaves no timer behind', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(await settleWithin([Promise.resolve(1), Promise.reject(new Error('x'))], 60_000)).toBe('settled');
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(timersBefore);
  });
  it('gives up after the time limit', async () => {
    expect(await settleWithin([new Promise(() => {})], 10)).toBe('timeout');
  });
});

describe('sleep', () => {
  it('resolves true after the time, false at once when aborted before or during', async () => {
    expect(await sleep(5)).toBe(true);
    expect(await sleep(60_000, AbortSignal.abort())).toBe(false);
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    expect(await pending).toBe(false);
  });
});
