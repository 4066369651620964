import { AppError } from '../../../shared/errors';
import { keyEnvByProvider } from '../providers/registry';
import type { SecretRepository, SecretRow } from '../store/SecretRepository';
import type { KeyProtection, SecretCipher } from './SecretCipher';

export interface KeyStatus {
  keySet: boolean;
  /** Last four characters of a key of 16 or more; null otherwise (see `lastFour`). */
  last4: string | null;
  source: 'env' | 'stored' | 'file' | null;
  protection: KeyProtection | null;
}

export interface KeyVaultOptions {
  cipher: SecretCipher;
  /** Other ciphers that may have written older rows (e.g. the keychain became unavailable). */
  alternates?: SecretCipher[];
  secrets: SecretRepository;
  env?: NodeJS.ProcessEnv;
}

/** Conventional environment variables: they win over stored keys, as in every other CLI tool. */
export const KEY_ENV: Record<string, string> = keyEnvByProvider();

/** Keys shorter than this show no characters at all. */
export const MIN_KEY_LENGTH_FOR_LAST_FOUR = 16;

/**
 * Four characters recognise a real provider key and are useless to an attacker only when the key
 * is long; of a short key (a 4-character test key, a PIN-like token) they are most or all of it.
 */
export function lastFour(key: string): string | null {
  return key.length >= MIN_KEY_LENGTH_FOR_LAST_FOUR ? key.slice(-4) : null;
}

/**
 * Provider API keys: encrypted at rest through the injected cipher, decrypted only at call time in
 * main. Nothing here returns a key to the router; `status()` is what the renderer may see.
 */
export class KeyVault {
  readonly #cipher: SecretCipher;
  readonly #alternates: SecretCipher[];
  readonly #secrets: SecretRepository;
  readonly #env: NodeJS.ProcessEnv;
  /** Keys from a providers file (`apiKey:`), held in memory only. */
  readonly #fileKeys = new Map<string, string>();

  constructor(options: KeyVaultOptions) {
    this.#cipher = options.cipher;
    this.#alternates = options.alternates ?? [];
    this.#secrets = options.secrets;
    this.#env = options.env ?? process.env;
  }

  get protection(): KeyProtection {
    return this.#cipher.isAvailable() ? this.#cipher.protection : 'none';
  }

  /** `name` is a provider id or `compat:<endpoint>`; `envVar` overrides the conventional one. */
  get(name: string, envVar?: string | null): string | null {
    const fromEnv = this.#envKey(name, envVar);
    if (fromEnv) return fromEnv;
    const fromFile = this.#fileKeys.get(name);
    if (fromFile) return fromFile;
    const row = this.#secrets.get(name);
    return row ? this.#decrypt(row) : null;
  }

  #decrypt(row: SecretRow): string {
    // Decrypt with whichever cipher wrote the row, so switching protection does not lose keys.
    const writer = [this.#cipher, ...this.#alternates].find((c) => c.protection === row.protection && c.isAvailable()) ?? this.#cipher;
    return writer.decrypt(row.ciphertext);
  }

  /**
   * Rows written before the length rule kept the last four of any key, so the stored column
   * cannot be trusted for a short key: the length is checked on the decrypted key.
   */
  #storedLastFour(row: SecretRow): string | null {
    try {
      return lastFour(this.#decrypt(row));
    } catch {
      return null;
    }
  }

  status(name: string, envVar?: string | null): KeyStatus {
    const fromEnv = this.#envKey(name, envVar);
    if (fromEnv) return { keySet: true, last4: lastFour(fromEnv), source: 'env', protection: null };
    const fromFile = this.#fileKeys.get(name);
    if (fromFile) return { keySet: true, last4: lastFour(fromFile), source: 'file', protection: null };
    const row = this.#secrets.get(name);
    if (row) return { keySet: true, last4: this.#storedLastFour(row), source: 'stored', protection: row.protection as KeyProtection };
    return { keySet: false, last4: null, source: null, protection: null };
  }

  set(name: string, key: string): KeyStatus {
    const trimmed = key.trim();
    if (trimmed.length < 4) throw new AppError('VALIDATION_FAILED', 'That key is too short. Paste the whole key from the provider’s console.');
    if (!this.#cipher.isAvailable()) {
      throw new AppError(
        'KEY_STORE_UNAVAILABLE',
        `Keys cannot be stored safely on this system (no keychain available). Set ${KEY_ENV[name] ?? 'the provider’s environment variable'} instead.`,
        { provider: name },
      );
    }
    this.#secrets.set({ name, ciphertext: this.#cipher.encrypt(trimmed), last4: lastFour(trimmed) ?? '', protection: this.#cipher.protection });
    return this.status(name);
  }

  clear(name: string): KeyStatus {
    this.#secrets.delete(name);
    return this.status(name);
  }

  setFileKey(name: string, key: string): void {
    this.#fileKeys.set(name, key);
  }

  #envKey(name: string, envVar?: string | null): string | null {
    const variable = envVar ?? KEY_ENV[name];
    const value = variable ? this.#env[variable]?.trim() : undefined;
    return value ? value : null;
  }
}
