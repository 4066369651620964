import type { LanguageModel } from 'ai';
import { AppError } from '../../../../shared/errors';
import type { EgressGateway, FetchLike } from '../../egress/EgressGateway';
import { format as formatRef } from '../../../../shared/domain/modelRef';
import type { ProviderModelInfo } from '../ModelProvider';
import type { CloudDefinition } from '../ProviderDefinition';
import type { ProviderConfig } from '../service/ProviderConfig';
import { AiSdkProvider, hostOf, type RemoteTarget } from './AiSdkProvider';

export interface CloudProviderOptions {
  gateway: EgressGateway;
  config: ProviderConfig;
  /** Its folder's definition: id, label, key variable, base URL and known models come from there. */
  definition: CloudDefinition;
}

/** Shared shape of OpenAI, Anthropic and Gemini: one base URL, one key, a fixed model factory. */
export abstract class CloudProvider extends AiSdkProvider {
  readonly id: string;
  protected readonly config: ProviderConfig;
  protected readonly definition: CloudDefinition;

  constructor(options: CloudProviderOptions) {
    super(options.gateway);
    this.config = options.config;
    this.definition = options.definition;
    this.id = options.definition.id;
  }

  protected abstract createModel(model: string, settings: { apiKey: string; baseURL: string; fetch: FetchLike }): LanguageModel;

  get label(): string {
    return this.definition.label;
  }

  destination(): string {
    return hostOf(this.config.baseUrl(this.definition));
  }

  knownModels(): ProviderModelInfo[] {
    return Object.keys(this.definition.prices).map((model) => ({ ref: formatRef(this.id, model), name: model }));
  }

  protected target(model: string): RemoteTarget {
    const baseUrl = this.config.baseUrl(this.definition);
    const keyEnv = this.definition.keyEnv;
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
