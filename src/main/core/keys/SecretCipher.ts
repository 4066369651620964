/**
 * Encrypts secrets before they reach SQLite. Desktop: Electron safeStorage (OS keychain);
 * CLI/serve: AES-256-GCM under a master key file. Core never imports Electron, so the cipher is injected.
 */
export interface SecretCipher {
  /** Shown to the user verbatim so they know which protection is in use. */
  readonly protection: KeyProtection;
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

export type KeyProtection = 'os-keychain' | 'master-key-file' | 'none';

export const PROTECTION_LABELS: Record<KeyProtection, string> = {
  'os-keychain': "Encrypted with your operating system's keychain (Electron safeStorage).",
  'master-key-file':
    'Encrypted with AES-256-GCM under a random master key stored in a file readable only by you (0600) in the data directory. Anyone who can read your files can read the keys.',
  none: 'Key storage is unavailable: use environment variables instead.',
};
