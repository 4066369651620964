import type { LanguageModel } from 'ai';
import { AppError } from '../../../../shared/errors';
import type { EgressGateway, FetchLike } from '../../egress/EgressGateway';
import { DEFAULT_PRICES } from '../../pricing/defaultPrices';
import type { ProviderModelInfo } from '../ModelProvider';
import { AiSdkProvider, hostOf, type RemoteTarget } from './AiSdkProvider';
import { CLOUD_PROVIDERS, type CloudProviderId, type ProviderConfig } from './ProviderConfig';

export interface CloudProviderOptions {
  gateway: EgressGateway;
  config: ProviderConfig;
}

/** Shared shape of OpenAI, Anthropic and Gemini: one base URL, one key, a fixed model factory. */
export abstract class CloudProvider extends AiSdkProvider {
  abstract override readonly id: CloudProviderId;
  protected readonly config: ProviderConfig;

  constructor(options: CloudProviderOptions) {
    super(options.gateway);
    this.config = options.config;
  }

  protected abstract createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel;

  get label(): string {
    return CLOUD_PROVIDERS[this.id].label;
  }

  destination(): string {
    return hostOf(this.config.baseUrl(this.id));
  }

  knownModels(): ProviderModelInfo[] {
    return Object.keys(DEFAULT_PRICES)
      .filter((ref) => ref.startsWith(`${this.id}:`))
      .map((ref) => ({ ref, name: ref.slice(this.id.length + 1) }));
  }

  protected target(model: string): RemoteTarget {
    const baseUrl = this.config.baseUrl(this.id);
    const keyEnv = CLOUD_PROVIDERS[this.id].keyEnv;
    const keyHint = `Settings → Providers (or ${keyEnv})`;
    const host = hostOf(baseUrl);
    const apiKey = this.config.vault.get(this.id);
    if (!apiKey) {
      throw new AppError('PROVIDER_AUTH', `No key is set for ${this.label}. Add one in ${keyHint}.`, { provider: this.id, host });
    }
    return {
      egressId: this.id,
      label: this.label,
      model,
      host,
      baseUrl,
      keyHint,
      key: apiKey,
      create: (fetch) => this.createModel(model, { apiKey, baseURL: baseUrl, fetch }),
    };
  }
}
