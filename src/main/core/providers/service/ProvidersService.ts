import type { ProviderModel, ProviderStatus, ProvidersList } from '../../../../shared/contract/providers';
import { compatEndpointKey, parse as parseRef } from '../../../../shared/domain/modelRef';
import { AppError, toErrorPayload } from '../../../../shared/errors';
import type { EgressGateway } from '../../egress/EgressGateway';
import { PROTECTION_LABELS } from '../../keys/SecretCipher';
import type { ProviderRegistry } from '../ProviderRegistry';
import { COMPAT_PRESETS } from '../compat/presets';
import { AiSdkProvider } from '../base/AiSdkProvider';
import { cloudDefinitions } from '../registry';
import type { ProviderConfig } from './ProviderConfig';

export interface ProvidersServiceOptions {
  registry: ProviderRegistry;
  config: ProviderConfig;
  gateway: EgressGateway;
}

function hostOrNull(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** What Settings → Providers and the model pickers see. Keys go in; only their status comes out. */
export class ProvidersService {
  readonly #registry: ProviderRegistry;
  readonly #config: ProviderConfig;
  readonly #gateway: EgressGateway;

  constructor(options: ProvidersServiceOptions) {
    this.#registry = options.registry;
    this.#config = options.config;
    this.#gateway = options.gateway;
  }

  list(): ProvidersList {
    const vault = this.#config.vault;
    const providers: ProviderStatus[] = [];
    if (this.#registry.get('local')) {
      providers.push({ id: 'local', label: 'This device', kind: 'local', enabled: true, key: { keySet: false, last4: null, source: null }, baseUrl: null, host: null, keyEnv: null, models: [], source: 'builtin' });
    }
    for (const definition of cloudDefinitions()) {
      const { id } = definition;
      if (!this.#registry.get(id)) continue;
      const baseUrl = this.#config.baseUrl(definition);
      const { keySet, last4, source } = vault.status(id);
      providers.push({
        id,
        label: definition.label,
        kind: 'cloud',
        enabled: this.#config.isEnabled(id),
        key: { keySet, last4, source },
        baseUrl,
        host: hostOrNull(baseUrl),
        keyEnv: definition.keyEnv,
        models: [],
        source: 'builtin',
      });
    }
    for (const e of this.#config.endpoints()) {
      const id = compatEndpointKey(e.name);
      const { keySet, last4, source } = vault.status(id, e.keyEnv);
      providers.push({
        id,
        label: e.name,
        kind: 'compat',
        enabled: this.#config.isEnabled(id),
        key: { keySet, last4, source },
        baseUrl: e.baseUrl,
        host: hostOrNull(e.baseUrl),
        keyEnv: e.keyEnv,
        models: e.models,
        source: e.source,
      });
    }
    return {
      providers,
      protection: vault.protection,
      protectionLabel: PROTECTION_LABELS[vault.protection],
      offline: this.#gateway.offline,
      presets: [...COMPAT_PRESETS],
    };
  }

  #status(id: string): ProviderStatus {
    const found = this.list().providers.find((p) => p.id === id);
    if (!found) throw new AppError('NOT_FOUND', `No provider "${id}". Known: ${this.list().providers.map((p) => p.id).join(', ')}.`, { provider: id });
    return found;
  }

  setKey(provider: string, key: string): ProviderStatus['key'] {
    this.#status(provider);
    const { keySet, last4, source } = this.#config.vault.set(provider, key);
    return { keySet, last4, source };
  }

  clearKey(provider: string): ProviderStatus['key'] {
    this.#status(provider);
    const { keySet, last4, source } = this.#config.vault.clear(provider);
    return { keySet, last4, source };
  }

  setEnabled(provider: string, enabled: boolean): { provider: string; enabled: boolean } {
    if (provider === 'local') throw new AppError('VALIDATION_FAILED', 'Models on this device cannot be switched off here.');
    this.#status(provider);
    this.#config.setEnabled(provider, enabled);
    return { provider, enabled: this.#config.isEnabled(provider) };
  }

  addEndpoint(input: { name: string; baseUrl: string; models: string[]; preset?: string | null; key?: string }): ProviderStatus {
    this.#config.addEndpoint(input);
    if (input.key) this.#config.vault.set(compatEndpointKey(input.name), input.key);
    return this.#status(compatEndpointKey(input.name));
  }

  removeEndpoint(name: string): { removed: boolean } {
    this.#config.removeEndpoint(name);
    return { removed: true };
  }

  /**
   * Every registered provider's models, local included. Remote providers answer from configuration
   * unless `refresh` asks them over the network, so opening a picker never makes a request.
   */
  async models(refresh: boolean, signal?: AbortSignal): Promise<{ models: ProviderModel[]; errors: Array<{ provider: string; code: string; message: string }> }> {
    const models: ProviderModel[] = [];
    const errors: Array<{ provider: string; code: string; message: string }> = [];
    for (const provider of this.#registry.list()) {
      const local = provider.capabilities.local;
      try {
        const listed = !local && provider instanceof AiSdkProvider && !refresh ? provider.knownModels() : await provider.listModels({ signal });
        for (const m of listed) {
          const { model } = parseRef(m.ref);
          let host: string | null = null;
          try {
            host = provider.destination(model);
          } catch {
            host = null;
          }
          models.push({ ref: m.ref, name: m.name, provider: provider.id, local, contextLength: m.contextLength ?? null, host });
        }
      } catch (error) {
        const payload = toErrorPayload(error);
        errors.push({ provider: provider.id, code: payload.code, message: payload.message });
      }
    }
    return { models, errors };
  }

  destination(ref: string): { ref: string; host: string | null; local: boolean } {
    const { provider, model } = this.#registry.resolve(ref);
    return { ref, host: provider.destination(model), local: provider.capabilities.local };
  }
}
