import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileKeyCipher, masterKeyPath } from '../../src/main/core/keys/FileKeyCipher';
import { KeyVault } from '../../src/main/core/keys/KeyVault';
import { SecretRepository } from '../../src/main/core/store/SecretRepository';
import { Store } from '../../src/main/core/store/Store';
import { routes } from '../../src/shared/contract';
import { call, collect, FAKE_KEYS, providerHarness } from '../helpers/fakeProviders/providerApp';
import { tempDir } from '../helpers/tmp';

const MESSAGES = [{ role: 'user' as const, content: 'Say hello.' }];
/** Read-only routes that accept `{}`: safe to call blindly in the scan. */
const SAFE_VERBS = /\.(list|get|getAll|info|verify|export|models|catalogue|hardware|status)$/;

function allFileBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) parts.push(readFileSync(path));
  }
  return Buffer.concat(parts);
}

describe('API keys', () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it('never appear in the database files, the logs, any route output or any event', async () => {
    await using h = await providerHarness({ keysVia: 'router' });
    const events: unknown[] = [];
    h.app.bus.onAny((name, payload) => void events.push({ name, payload }));
    // Use every key (success, failure and audit paths) so they have had every chance to leak.
    await call(h.app, 'settings.set', { key: 'auditPromptText', value: true });
    for (const wire of ['openai', 'anthropic', 'google', 'compat'] as const) {
      await collect(h.app.generation.stream(h.ref(wire), MESSAGES, {}));
      await collect(h.app.generation.stream(h.ref(wire, 'no-such-model'), MESSAGES, {})).catch((e: unknown) => logged.push(JSON.stringify(e), String(e)));
    }
    expect(h.servers.openai.generationRequests[0]!.headers.authorization).toBe(`Bearer ${FAKE_KEYS.openai}`);
    const outputs: unknown[] = [];
    for (const name of Object.keys(routes)) {
      if (!SAFE_VERBS.test(name)) continue;
      outputs.push(await call(h.app, name, {}));
    }
    for (const input of [{ format: 'csv' }, { format: 'json' }]) outputs.push(await call(h.app, 'audit.export', input));
    outputs.push(await call(h.app, 'providers.models', { refresh: true }));
    outputs.push(await call(h.app, 'providers.setKey', { provider: 'openai', key: FAKE_KEYS.openai }));
    outputs.push(await call(h.app, 'providers.clearKey', { provider: 'anthropic' }));
    const list = await call(h.app, 'providers.list', {});
    outputs.push(list);
    expect(JSON.stringify(list)).toContain('"last4":"WXYZ"');
    h.app.store.db.pragma('wal_checkpoint(PASSIVE)');
    const blobs = {
      database: allFileBytes(h.dataDir).toString('latin1'),
      logs: logged.join('\n'),
      routes: JSON.stringify(outputs),
      events: JSON.stringify(events),
    };
    for (const key of Object.values(FAKE_KEYS)) {
      for (const [where, text] of Object.entries(blobs)) {
        expect(text.includes(key), `${where} contains a key`).toBe(false);
        // Nor a recognisable chunk of it (8+ characters from its middle).
        expect(text.includes(key.slice(4, 16)), `${where} contains part of a key`).toBe(false);
      }
    }
  });

  it('are encrypted with AES-256-GCM under a 0600 master key file when there is no keychain', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const cipher = new FileKeyCipher({ keyPath: masterKeyPath(dir.path) });
      const vault = new KeyVault({ cipher, secrets: new SecretRepository(store), env: {} });
      expect(vault.status('openai')).toEqual({ keySet: false, last4: null, source: null, protection: null });
      vault.set('openai', 'sk-secret-value-1234');
      expect(statSync(masterKeyPath(dir.path)).mode & 0o777).toBe(0o600);
      expect(vault.get('openai')).toBe('sk-secret-value-1234');
      expect(vault.status('openai')).toEqual({ keySet: true, last4: '1234', source: 'stored', protection: 'master-key-file' });
      const row = store.db.prepare('SELECT ciphertext FROM secrets').get() as { ciphertext: Buffer };
      expect(row.ciphertext.toString('latin1')).not.toContain('sk-secret');
      // A fresh cipher instance reads the same key file.
      expect(new FileKeyCipher({ keyPath: masterKeyPath(dir.path) }).decrypt(row.ciphertext)).toBe('sk-secret-value-1234');
      vault.clear('openai');
      expect(vault.get('openai')).toBeNull();
    } finally {
      store.dispose();
    }
  });

  it('keys written under the master-key file still decrypt once a keychain cipher is primary', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const file = new FileKeyCipher({ keyPath: masterKeyPath(dir.path) });
      new KeyVault({ cipher: file, secrets: new SecretRepository(store), env: {} }).set('google', 'AIza-old-key-5555');
      // A stand-in keychain: reversible, distinct protection label.
      const keychain = { protection: 'os-keychain' as const, isAvailable: () => true, encrypt: (s: string) => Buffer.from([...s].reverse().join('')), decrypt: (b: Buffer) => [...b.toString()].reverse().join('') };
      const vault = new KeyVault({ cipher: keychain, alternates: [file], secrets: new SecretRepository(store), env: {} });
      expect(vault.get('google')).toBe('AIza-old-key-5555');
      vault.set('openai', 'sk-new-key-000-7777');
      expect(vault.status('openai')).toMatchObject({ protection: 'os-keychain', last4: '7777' });
      expect(vault.get('openai')).toBe('sk-new-key-000-7777');
    } finally {
      store.dispose();
    }
  });

  it('environment variables win over stored keys and are reported as such', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const vault = new KeyVault({ cipher: new FileKeyCipher({ keyPath: masterKeyPath(dir.path) }), secrets: new SecretRepository(store), env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-9876' } });
      vault.set('anthropic', 'sk-ant-stored-1111');
      expect(vault.get('anthropic')).toBe('sk-ant-from-env-9876');
      expect(vault.status('anthropic')).toMatchObject({ keySet: true, last4: '9876', source: 'env' });
    } finally {
      store.dispose();
    }
  });

  it('show their last four only when the key has 16 characters or more', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const secrets = new SecretRepository(store);
      const vault = new KeyVault({ cipher: new FileKeyCipher({ keyPath: masterKeyPath(dir.path) }), secrets, env: { GEMINI_API_KEY: 'short-env-k' } });
      expect(vault.set('openai', 'abcd')).toMatchObject({ keySet: true, last4: null });
      expect(vault.set('anthropic', 'x'.repeat(11) + 'WXYZ')).toMatchObject({ keySet: true, last4: null });
      expect(vault.set('compat:one', 'x'.repeat(12) + 'WXYZ')).toMatchObject({ keySet: true, last4: 'WXYZ' });
      expect(vault.status('google')).toMatchObject({ keySet: true, source: 'env', last4: null });
      // Nothing of the short key is kept in the clear next to its ciphertext.
      expect(store.db.prepare("SELECT last4 FROM secrets WHERE name = 'openai'").get()).toEqual({ last4: '' });
      // A row written before the rule recorded the whole short key as its "last four".
      const legacy = secrets.get('openai')!;
      secrets.set({ ...legacy, last4: 'abcd' });
      expect(vault.status('openai')).toMatchObject({ keySet: true, source: 'stored', last4: null });
    } finally {
      store.dispose();
    }
  });

  it('refuses to store a key when the cipher is unavailable', () => {
    using dir = tempDir();
    const store = Store.open({ path: join(dir.path, 'k.db') });
    try {
      const unavailable = { protection: 'os-keychain' as const, isAvailable: () => false, encrypt: () => Buffer.alloc(0), decrypt: () => '' };
      const vault = new KeyVault({ cipher: unavailable, secrets: new SecretRepository(store), env: {} });
      expect(() => vault.set('openai', 'sk-abcdef')).toThrow(/OPENAI_API_KEY/);
      expect(store.db.prepare('SELECT COUNT(*) AS n FROM secrets').get()).toEqual({ n: 0 });
    } finally {
      store.dispose();
    }
  });
});
