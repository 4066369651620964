import type { EgressGateway } from '../egress/EgressGateway';
import type { ModelPrice } from '../pricing/defaultPrices';
import type { ModelProvider } from './ModelProvider';
import type { ProviderConfig } from './service/ProviderConfig';

/** What every remote provider is built from; the composition root passes the same to each. */
export interface ProviderDeps {
  gateway: EgressGateway;
  config: ProviderConfig;
}

/**
 * Everything the app knows about one provider, in its own folder (`providers/<id>/definition.ts`):
 * adding a provider is one folder plus one line in `registry.ts`.
 */
export interface ProviderDefinition {
  /** The ref prefix (`openai` in `openai:gpt-4o`) and the key, switch and audit id. */
  id: string;
  label: string;
  /** 'cloud': one vendor, one key, one base URL; 'compat': any number of OpenAI-compatible endpoints. */
  kind: 'cloud' | 'compat';
  /** The conventional environment variable for the key (it wins over a stored key); null when there is no single key. */
  keyEnv: string | null;
  /** The environment variable that moves the API (a proxy, a gateway, a fake server in tests). */
  baseUrlEnv: string | null;
  defaultBaseUrl: string | null;
  /** Shipped list prices in USD per 1M tokens by model id; these are also the models a picker shows without asking the network. */
  prices: Record<string, ModelPrice>;
  create(deps: ProviderDeps): ModelProvider;
}

/** A cloud definition: every field a single-vendor provider needs is set. */
export type CloudDefinition = ProviderDefinition & {
  kind: 'cloud';
  keyEnv: string;
  baseUrlEnv: string;
  defaultBaseUrl: string;
  /** promptfoo's provider ids for this vendor (`gemini:` is Google's), so imported suites run as written. */
  promptfooIds: string[];
};
