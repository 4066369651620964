import { safeStorage } from 'electron';
import type { SecretCipher } from '../core/keys/SecretCipher';

/**
 * Keys encrypted by the OS keychain through Electron's safeStorage. On Linux without a keyring,
 * Electron falls back to a hard-coded password ("basic_text"); we treat that as unavailable so
 * createApp uses the master-key file instead, and the UI says which one is in use.
 * Only valid after `app.whenReady()`.
 */
export class SafeStorageCipher implements SecretCipher {
  readonly protection = 'os-keychain' as const;

  isAvailable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return false;
    return true;
  }

  encrypt(plain: string): Buffer {
    return safeStorage.encryptString(plain);
  }

  decrypt(cipher: Buffer): string {
    return safeStorage.decryptString(cipher);
  }
}
