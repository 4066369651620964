import { AuditChainKey } from '../../src/main/core/audit/AuditChainKey';
import { FileKeyCipher, masterKeyPath } from '../../src/main/core/keys/FileKeyCipher';
import { KeyVault } from '../../src/main/core/keys/KeyVault';
import { SecretRepository } from '../../src/main/core/store/SecretRepository';
import type { Store } from '../../src/main/core/store/Store';

/** The chain key kept the way the app keeps it without a keychain: in the vault, under the 0600 master key file. */
export function chainKeyFor(dataDir: string, store: Store): AuditChainKey {
  return new AuditChainKey(new KeyVault({ cipher: new FileKeyCipher({ keyPath: masterKeyPath(dataDir) }), secrets: new SecretRepository(store), env: {} }));
}
