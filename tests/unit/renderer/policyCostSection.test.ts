import { describe, expect, it } from 'vitest';
import { offerRunWithout } from '../../../src/renderer/evals/PolicyCostSection';

describe('Data policy cost: "Run without the policy now"', () => {
  it('is offered only while the run under the policy is not running, so the two never run side by side', () => {
    expect(offerRunWithout('running', 'cancelled')).toBe(false);
    expect(offerRunWithout('running', 'interrupted')).toBe(false);
    expect(offerRunWithout('pending', 'pending')).toBe(false);
    expect(offerRunWithout('completed', 'cancelled')).toBe(true);
    expect(offerRunWithout('cancelled', 'pending')).toBe(true);
    expect(offerRunWithout('interrupted', 'interrupted')).toBe(true);
  });

  it('is not offered once the run without the policy runs or is done, nor before the runs are read', () => {
    expect(offerRunWithout('completed', 'running')).toBe(false);
    expect(offerRunWithout('completed', 'completed')).toBe(false);
    expect(offerRunWithout(undefined, 'pending')).toBe(false);
  });
});
