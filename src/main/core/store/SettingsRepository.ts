import { z } from 'zod';
import { SETTINGS, type SettingKey, type SettingValue } from '../../../shared/contract';
import type { Store } from './Store';

const RowSchema = z.object({ key: z.string(), value: z.string() });

export class SettingsRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT key, value FROM settings WHERE key = ?').get(key));
    if (row === undefined) return SETTINGS[key].default as SettingValue<K>;
    const parsed = SETTINGS[key].schema.safeParse(JSON.parse(RowSchema.parse(row).value));
    // A value an older version wrote in another shape falls back to the default, not a crash.
    return (parsed.success ? parsed.data : SETTINGS[key].default) as SettingValue<K>;
  }

  set<K extends SettingKey>(key: K, value: SettingValue<K>): void {
    const checked = SETTINGS[key].schema.parse(value);
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(key, JSON.stringify(checked), new Date().toISOString()),
    );
  }
}
