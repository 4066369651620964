import { shippedPrices } from '../providers/registry';

/**
 * Shipped list prices in USD per 1M tokens, from each provider's definition (`providers/<id>/definition.ts`).
 * Prices change: this table is dated and versioned, and every entry can be overridden by the user (Settings → Providers → Prices), which is stored locally.
 * Source: each provider's public pricing page as of PRICES_AS_OF (standard tier, ≤200k context).
 */
export const PRICES_VERSION = 1;
export const PRICES_AS_OF = '2025-10-01';

export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number | null;
}

/** Keys are full model refs (`provider:model`); each provider's entries live in its definition. */
export const DEFAULT_PRICES: Record<string, ModelPrice> = shippedPrices();
