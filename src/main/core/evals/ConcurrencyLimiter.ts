/**
 * Per-provider parallelism that halves on a rate limit and creeps back up one slot after a
 * full window of successes (AIMD, as TCP does), never above the configured maximum.
 */
export class ConcurrencyLimiter {
  readonly max: number;
  #limit: number;
  #successes = 0;

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max));
    this.#limit = this.max;
  }

  get limit(): number {
    return this.#limit;
  }

  onRateLimited(): void {
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#successes = 0;
  }

  onSuccess(): void {
    if (this.#limit >= this.max) return;
    this.#successes++;
    if (this.#successes >= this.#limit * 2) {
      this.#limit++;
      this.#successes = 0;
    }
  }
}
