import type { PolicyBudget } from '../../../shared/domain/dataPolicy';
import { format as formatRef, providerOfEndpointKey } from '../../../shared/domain/modelRef';

export interface BudgetUsageSource {
  generationUsageSince(time: string): Array<{ provider: string; model: string | null; inputTokens: number; outputTokens: number }>;
}

export interface BudgetPrices {
  cost(ref: string, usage: { promptTokens: number | null; completionTokens: number | null }): number | null;
}

export interface BudgetState {
  endpoint: string;
  dailyUsd: number;
  monthlyUsd: number;
  /** Which limit is reached, or null when the provider may still be used. */
  exhausted: 'daily' | 'monthly' | null;
  /** `daily $5.02 of $5.00` — for the audit row and the route's reason. */
  summary: string;
}

// Cents, except for amounts below a cent (a test budget, a few cheap calls), which would all read $0.00.
const usd = (n: number): string => `$${n === 0 || n >= 0.01 ? n.toFixed(2) : n.toPrecision(2)}`;

/**
 * What each provider has cost today (UTC) and this month, from the audit log's token counts and
 * the price table, so every process (CLI, serve, desktop) sees the same spending. Tokens of a
 * model without a price count as 0: a budget cannot be enforced on what cannot be priced.
 */
export class BudgetLedger {
  readonly #usage: BudgetUsageSource;
  readonly #prices: BudgetPrices;
  readonly #now: () => Date;

  readonly #budget: (endpoint: string) => PolicyBudget | null;

  constructor(options: { usage: BudgetUsageSource; prices: BudgetPrices; budget: (endpoint: string) => PolicyBudget | null; now?: () => Date }) {
    this.#usage = options.usage;
    this.#budget = options.budget;
    this.#prices = options.prices;
    this.#now = options.now ?? (() => new Date());
  }

  /** Null when the policy sets no budget for the endpoint. */
  stateFor(endpoint: string): BudgetState | null {
    const budget = this.#budget(endpoint);
    return budget ? this.state(endpoint, budget) : null;
  }

  state(endpoint: string, budget: PolicyBudget): BudgetState {
    const now = this.#now();
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const spent = (since: string): number =>
      this.#usage
        .generationUsageSince(since)
        .filter((r) => r.provider === endpoint && r.model)
        .reduce((sum, r) => sum + (this.#prices.cost(formatRef(providerOfEndpointKey(r.provider), r.model!), { promptTokens: r.inputTokens, completionTokens: r.outputTokens }) ?? 0), 0);
    const dailyUsd = budget.dailyUsd === undefined ? 0 : spent(day);
    const monthlyUsd = budget.monthlyUsd === undefined ? 0 : spent(month);
    const exhausted = budget.dailyUsd !== undefined && dailyUsd >= budget.dailyUsd ? 'daily' : budget.monthlyUsd !== undefined && monthlyUsd >= budget.monthlyUsd ? 'monthly' : null;
    const parts = [
      budget.dailyUsd !== undefined ? `daily ${usd(dailyUsd)} of ${usd(budget.dailyUsd)}` : null,
      budget.monthlyUsd !== undefined ? `monthly ${usd(monthlyUsd)} of ${usd(budget.monthlyUsd)}` : null,
    ];
    return { endpoint, dailyUsd, monthlyUsd, exhausted, summary: parts.filter(Boolean).join(', ') };
  }
}
