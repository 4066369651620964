import type { ProviderRepository } from '../store/ProviderRepository';
import { DEFAULT_PRICES, PRICES_AS_OF, PRICES_VERSION, type ModelPrice } from './defaultPrices';

export interface PriceEntry extends ModelPrice {
  ref: string;
  source: 'default' | 'user';
}

export interface CostInput {
  promptTokens: number | null;
  completionTokens: number | null;
  cachedPromptTokens?: number | null;
}

/** Dated model ids (`claude-sonnet-4-5-20250929`, `gpt-4o-2024-08-06`) cost what their alias costs. */
function undated(ref: string): string {
  return ref.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, '');
}

/** The shipped price table merged with the user's overrides; overrides win. */
export class PriceTable {
  readonly #repo: ProviderRepository;

  constructor(repo: ProviderRepository) {
    this.#repo = repo;
  }

  info(): { version: number; asOf: string } {
    return { version: PRICES_VERSION, asOf: PRICES_AS_OF };
  }

  list(): PriceEntry[] {
    const merged = new Map<string, PriceEntry>();
    for (const [ref, price] of Object.entries(DEFAULT_PRICES)) merged.set(ref, { ref, ...price, source: 'default' });
    for (const o of this.#repo.priceOverrides()) {
      merged.set(o.model, { ref: o.model, inputPerMTok: o.inputPerMTok, outputPerMTok: o.outputPerMTok, cachedInputPerMTok: o.cachedInputPerMTok, source: 'user' });
    }
    return [...merged.values()].sort((a, b) => a.ref.localeCompare(b.ref));
  }

  lookup(ref: string): PriceEntry | null {
    const all = new Map(this.list().map((e) => [e.ref, e]));
    return all.get(ref) ?? all.get(undated(ref)) ?? null;
  }

  set(ref: string, price: ModelPrice): PriceEntry {
    this.#repo.setPriceOverride({ model: ref, ...price });
    return { ref, ...price, source: 'user' };
  }

  /** Drops the user's override, going back to the shipped default (if any). */
  reset(ref: string): void {
    this.#repo.removePriceOverride(ref);
  }

  /** Null when the model or its token counts are unknown: an unknown cost is never shown as 0. */
  cost(ref: string, usage: CostInput): number | null {
    const price = this.lookup(ref);
    if (!price || usage.promptTokens === null || usage.completionTokens === null) return null;
    const cached = Math.min(usage.cachedPromptTokens ?? 0, usage.promptTokens);
    const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
    return ((usage.promptTokens - cached) * price.inputPerMTok + cached * cachedRate + usage.completionTokens * price.outputPerMTok) / 1e6;
  }
}
