import { AuditChainKey } from '../../audit/AuditChainKey';
import { AuditLog } from '../../audit/AuditLog';
import { AuditRepository } from '../../audit/AuditRepository';
import { EgressGateway, type FetchLike } from '../../egress/EgressGateway';
import type { GenerationServiceOptions } from '../../generation/GenerationService';
import type { RetryPolicy } from '../../generation/retryPolicy';
import { FileKeyCipher, masterKeyPath } from '../../keys/FileKeyCipher';
import { KeyVault } from '../../keys/KeyVault';
import type { SecretCipher } from '../../keys/SecretCipher';
import type { DataPolicyService } from '../../policy/DataPolicyService';
import { PriceTable } from '../../pricing/PriceTable';
import type { SettingsService } from '../../settings/SettingsService';
import { ProviderRepository } from '../../store/ProviderRepository';
import { SecretRepository } from '../../store/SecretRepository';
import type { Store } from '../../store/Store';
import { AnthropicProvider } from '../anthropic/AnthropicProvider';
import { CompatProvider } from '../compat/CompatProvider';
import { GoogleProvider } from '../google/GoogleProvider';
import { OpenAIProvider } from '../openai/OpenAIProvider';
import type { ProviderRegistry } from '../ProviderRegistry';
import { ProviderConfig } from './ProviderConfig';
import { ProvidersService } from './ProvidersService';
import { join } from 'node:path';

export interface RemoteProvidersOptions {
  store: Store;
  settings: SettingsService;
  registry: ProviderRegistry;
  dataDir: string;
  /** Desktop passes Electron safeStorage; CLI/serve fall back to the master-key file. */
  cipher?: SecretCipher | null;
  env?: NodeJS.ProcessEnv;
  /** `--offline`; PARITY_OFFLINE=1 and the `offline` setting also switch it on. */
  offline?: boolean;
  /** `--providers <file.yaml>`; PARITY_PROVIDERS_FILE too. */
  providersFile?: string | null;
  /** The real network, replaceable in tests. */
  fetch?: FetchLike;
  policy?: Partial<RetryPolicy>;
  /** The data policy the gateway applies to every generation before it leaves. */
  dataPolicy?: DataPolicyService;
}

export interface RemoteProviders {
  gateway: EgressGateway;
  audit: AuditLog;
  prices: PriceTable;
  vault: KeyVault;
  config: ProviderConfig;
  service: ProvidersService;
  generationOptions: GenerationServiceOptions;
}

/** Builds keys, egress, audit, prices and the cloud/compat providers, and registers the providers. */
export function createRemoteProviders(options: RemoteProvidersOptions): RemoteProviders {
  const env = options.env ?? process.env;
  const repo = new ProviderRepository(options.store);
  const fileCipher = new FileKeyCipher({ keyPath: masterKeyPath(options.dataDir) });
  const keychain = options.cipher?.isAvailable() ? options.cipher : null;
  const vault = new KeyVault({
    cipher: keychain ?? fileCipher,
    alternates: keychain ? [fileCipher] : options.cipher ? [options.cipher] : [],
    secrets: new SecretRepository(options.store),
    env,
  });
  const config = new ProviderConfig({ vault, repo, env, providersFile: options.providersFile ?? env.PARITY_PROVIDERS_FILE ?? null });
  // The chain's head is kept beside the database, so deleting the newest rows shows too.
  // The chain's HMAC key sits with the API keys (OS keychain on the desktop, the 0600 master key file otherwise).
  const audit = new AuditLog(new AuditRepository(options.store), { key: new AuditChainKey(vault), headFile: join(options.dataDir, 'audit-head.json') });
  const forcedOffline = options.offline === true || env.PARITY_OFFLINE === '1' || env.PARITY_OFFLINE === 'true';
  const gateway = new EgressGateway({
    audit,
    isOffline: () => forcedOffline || options.settings.get('offline'),
    isProviderEnabled: (id) => config.isEnabled(id),
    fetch: options.fetch,
    dataPolicy: options.dataPolicy,
  });
  const prices = new PriceTable(repo);
  for (const provider of [
    new OpenAIProvider({ gateway, config }),
    new AnthropicProvider({ gateway, config }),
    new GoogleProvider({ gateway, config }),
    new CompatProvider({ gateway, config }),
  ]) {
    options.registry.register(provider);
  }
  const service = new ProvidersService({ registry: options.registry, config, gateway });
  return { gateway, audit, prices, vault, config, service, generationOptions: { gateway, prices, settings: options.settings, policy: options.policy } };
}
