import { format as formatRef } from '../../../shared/domain/modelRef';
import type { ModelPrice } from '../pricing/defaultPrices';
import { anthropic } from './anthropic/definition';
import { compat } from './compat/definition';
import { google } from './google/definition';
import { openai } from './openai/definition';
import type { CloudDefinition, ProviderDefinition } from './ProviderDefinition';

/** Every remote provider, in the order Settings and the pickers list them. Add a provider here. */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition[] = [openai, anthropic, google, compat];

export function cloudDefinitions(): CloudDefinition[] {
  return PROVIDER_DEFINITIONS.filter((d): d is CloudDefinition => d.kind === 'cloud');
}

export function definitionOf(id: string): ProviderDefinition | undefined {
  return PROVIDER_DEFINITIONS.find((d) => d.id === id);
}

/** The conventional key variable of each provider that has one (`openai` → `OPENAI_API_KEY`). */
export function keyEnvByProvider(): Record<string, string> {
  return Object.fromEntries(PROVIDER_DEFINITIONS.flatMap((d) => (d.keyEnv ? [[d.id, d.keyEnv]] : [])));
}

/** The shipped price table, keyed by full model ref (`provider:model`). */
export function shippedPrices(): Record<string, ModelPrice> {
  return Object.fromEntries(PROVIDER_DEFINITIONS.flatMap((d) => Object.entries(d.prices).map(([model, price]) => [formatRef(d.id, model), price])));
}
