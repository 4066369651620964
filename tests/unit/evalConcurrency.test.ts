import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../src/main/core/evals/ConcurrencyLimiter';

describe('ConcurrencyLimiter', () => {
  it('halves on a rate limit, never below 1, and recovers one slot per window of successes up to the max', () => {
    const l = new ConcurrencyLimiter(8);
    expect(l.limit).toBe(8);
    l.onRateLimited();
    expect(l.limit).toBe(4);
    l.onRateLimited();
    l.onRateLimited();
    l.onRateLimited();
    expect(l.limit).toBe(1);
    // One slot back after 2 × limit successes.
    l.onSuccess();
    expect(l.limit).toBe(1);
    l.onSuccess();
    expect(l.limit).toBe(2);
    for (let i = 0; i < 4; i++) l.onSuccess();
    expect(l.limit).toBe(3);
    for (let i = 0; i < 200; i++) l.onSuccess();
    expect(l.limit).toBe(8);
    // A rate limit in the middle of a window restarts it.
    l.onRateLimited();
    expect(l.limit).toBe(4);
  });
});
