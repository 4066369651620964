import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { compatEndpointKey, providerOfEndpointKey } from '../../../../shared/domain/modelRef';
import { AppError } from '../../../../shared/errors';
import type { KeyVault } from '../../keys/KeyVault';
import type { ProviderRepository } from '../../store/ProviderRepository';
import { COMPAT_PRESETS } from '../compat/presets';
import type { CloudDefinition } from '../ProviderDefinition';

export const EndpointNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'use lowercase letters, digits, ".", "_" or "-" (max 40)');

export const ProvidersFileSchema = z.object({
  endpoints: z
    .array(
      z
        .object({
          name: EndpointNameSchema,
          baseUrl: z.url(),
          apiKeyEnv: z.string().optional(),
          apiKey: z.string().optional(),
          models: z.array(z.string()).default([]),
        })
        .strict(),
    )
    .default([]),
});
export type ProvidersFile = z.infer<typeof ProvidersFileSchema>;

export interface EndpointConfig {
  name: string;
  baseUrl: string;
  models: string[];
  keyEnv: string | null;
  /** 'preset': not configured, used by its preset's name because its key (or a local server) is there. */
  source: 'settings' | 'file' | 'preset';
  preset: string | null;
}

/** An endpoint that is configured (in Settings or a --providers file), as listed. */
export type ListedEndpoint = EndpointConfig & { source: 'settings' | 'file' };

export interface ProviderConfigOptions {
  vault: KeyVault;
  repo: ProviderRepository;
  env?: NodeJS.ProcessEnv;
  /** `--providers <file.yaml>` / PARITY_PROVIDERS_FILE: OpenAI-compatible endpoints for CLI/serve. */
  providersFile?: string | null;
}

export function loadProvidersFile(path: string): ProvidersFile {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `Cannot read the providers file ${path}: ${error instanceof Error ? error.message : String(error)}`, { path });
  }
  const parsed = ProvidersFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', `The providers file ${path} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { path });
  }
  return parsed.data;
}

/** Where each remote provider lives, whether it is switched on, and which key it uses. */
export class ProviderConfig {
  readonly vault: KeyVault;
  readonly #repo: ProviderRepository;
  readonly #env: NodeJS.ProcessEnv;
  readonly #fileEndpoints: ListedEndpoint[] = [];
  readonly #providersFile: string | null;

  constructor(options: ProviderConfigOptions) {
    this.vault = options.vault;
    this.#repo = options.repo;
    this.#env = options.env ?? process.env;
    this.#providersFile = options.providersFile ?? null;
  }

  /** Reads the --providers file; a file that does not load stops start-up. Called once by the composition root. */
  start(): void {
    if (this.#providersFile) {
      for (const e of loadProvidersFile(this.#providersFile).endpoints) {
        if (e.apiKey) this.vault.setFileKey(compatEndpointKey(e.name), e.apiKey);
        this.#fileEndpoints.push({ name: e.name, baseUrl: e.baseUrl, models: e.models, keyEnv: e.apiKeyEnv ?? null, source: 'file', preset: null });
      }
    }
  }

  /** A cloud provider's base URL: its environment variable when set, else its definition's default. */
  baseUrl(definition: Pick<CloudDefinition, 'baseUrlEnv' | 'defaultBaseUrl'>): string {
    return (this.#env[definition.baseUrlEnv]?.trim() || definition.defaultBaseUrl).replace(/\/+$/, '');
  }

  /** Providers are on unless switched off; with no key they make no request anyway. */
  isEnabled(id: string): boolean {
    // An endpoint (`compat:groq`) is off when its provider (`compat`) is.
    const provider = providerOfEndpointKey(id);
    if (provider !== id && this.#repo.setting(provider)?.enabled === false) return false;
    return this.#repo.setting(id)?.enabled ?? true;
  }

  setEnabled(id: string, enabled: boolean): void {
    this.#repo.setEnabled(id, enabled);
  }

  endpoints(): ListedEndpoint[] {
    const byName = new Map<string, ListedEndpoint>();
    for (const e of this.#repo.endpoints()) {
      const preset = COMPAT_PRESETS.find((p) => p.id === e.preset);
      byName.set(e.name, { name: e.name, baseUrl: e.baseUrl, models: e.models, keyEnv: preset?.keyEnv ?? null, source: 'settings', preset: e.preset });
    }
    for (const e of this.#fileEndpoints) byName.set(e.name, e);
    return [...byName.values()];
  }

  endpoint(name: string): EndpointConfig {
    const found = this.endpoints().find((e) => e.name === name) ?? this.#presetEndpoint(name);
    if (!found) {
      throw new AppError('NOT_FOUND', `No OpenAI-compatible endpoint named "${name}". Add it in Settings → Providers or in a --providers file.`, { name });
    }
    return found;
  }

  /**
   * An endpoint named after a preset (`compat:groq/...`, as promptfoo's `groq:` ids map) works
   * without setup when its key is in the usual environment variable, or, for a local server,
   * always (its base URL from e.g. OLLAMA_BASE_URL). A cloud preset with no key is never used
   * implicitly: a prompt must not go to a service the user has not set up.
   */
  #presetEndpoint(name: string): EndpointConfig | undefined {
    const preset = COMPAT_PRESETS.find((p) => p.id === name);
    if (!preset) return undefined;
    if (preset.keyEnv !== null && !this.#env[preset.keyEnv]?.trim()) return undefined;
    const fromEnv = preset.baseUrlEnv ? this.#env[preset.baseUrlEnv]?.trim() : undefined;
    // promptfoo's OLLAMA_BASE_URL names the server root; the OpenAI-compatible API is under /v1.
    const baseUrl = fromEnv ? `${fromEnv.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1` : preset.baseUrl;
    return { name: preset.id, baseUrl, models: [], keyEnv: preset.keyEnv, source: 'preset', preset: preset.id };
  }

  addEndpoint(input: { name: string; baseUrl: string; models: string[]; preset?: string | null }): EndpointConfig {
    const url = new URL(input.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AppError('VALIDATION_FAILED', 'The base URL must start with http:// or https://.', { baseUrl: input.baseUrl });
    }
    this.#repo.upsertEndpoint({ name: input.name, baseUrl: input.baseUrl.replace(/\/+$/, ''), models: input.models, preset: input.preset ?? null });
    return this.endpoint(input.name);
  }

  removeEndpoint(name: string): void {
    if (this.#fileEndpoints.some((e) => e.name === name)) {
      throw new AppError('CONFLICT', `The endpoint "${name}" comes from the --providers file; edit that file to remove it.`, { name });
    }
    if (!this.#repo.removeEndpoint(name)) throw new AppError('NOT_FOUND', `No endpoint named "${name}".`, { name });
    this.vault.clear(compatEndpointKey(name));
  }
}
