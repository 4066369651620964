import { describe, expect, it } from 'vitest';
import { resolveThreads } from '../../src/main/core/engine/threads';
import { settleWithin } from '../../src/main/core/util/settleWithin';

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
