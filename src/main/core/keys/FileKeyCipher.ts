import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { SecretCipher } from './SecretCipher';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FileKeyCipherOptions {
  /** Where the master key lives; created (0600) on the first encrypt. */
  keyPath: string;
}

export function masterKeyPath(dataDir: string): string {
  return join(dataDir, 'secrets.key');
}

/**
 * AES-256-GCM under a random 32-byte master key kept in a 0600 file. Used where Electron's
 * safeStorage is absent (CLI, `parity serve`). It only protects against someone who has the database
 * but not the key file; the UI says so.
 */
export class FileKeyCipher implements SecretCipher {
  readonly protection = 'master-key-file' as const;
  readonly #keyPath: string;
  #key: Buffer | null = null;

  constructor(options: FileKeyCipherOptions) {
    this.#keyPath = options.keyPath;
  }

  isAvailable(): boolean {
    return true;
  }

  encrypt(plain: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#masterKey(true), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(data: Buffer): string {
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== VERSION) {
      throw new AppError('KEY_STORE_UNAVAILABLE', 'A stored key has an unknown format. Remove it in Settings → Providers and enter it again.');
    }
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#masterKey(false), iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError(
        'KEY_STORE_UNAVAILABLE',
        `A stored key cannot be decrypted: the master key file ${this.#keyPath} changed or is missing. Remove the key in Settings → Providers and enter it again.`,
      );
    }
  }

  #masterKey(create: boolean): Buffer {
    if (this.#key) return this.#key;
    if (existsSync(this.#keyPath)) {
      const key = readFileSync(this.#keyPath);
      if (key.length !== 32) {
        throw new AppError('KEY_STORE_UNAVAILABLE', `The master key file ${this.#keyPath} is damaged. Remove stored keys and enter them again.`);
      }
      this.#key = key;
      return key;
    }
    if (!create) {
      throw new AppError('KEY_STORE_UNAVAILABLE', `The master key file ${this.#keyPath} is missing, so stored keys cannot be read. Enter them again.`);
    }
    mkdirSync(dirname(this.#keyPath), { recursive: true });
    const key = randomBytes(32);
    writeFileSync(this.#keyPath, key, { mode: 0o600, flag: 'wx' });
    chmodSync(this.#keyPath, 0o600);
    this.#key = key;
    return key;
  }
}
