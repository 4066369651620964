import { SETTING_KEYS, type SettingEntry, type SettingKey, type SettingValue, type SettingsValues } from '../../../shared/contract';
import type { EventBus } from '../events/EventBus';
import type { SettingsRepository } from '../store/SettingsRepository';

export class SettingsService {
  readonly #repo: SettingsRepository;
  readonly #bus: EventBus;

  constructor(repo: SettingsRepository, bus: EventBus) {
    this.#repo = repo;
    this.#bus = bus;
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    return this.#repo.get(key);
  }

  getAll(): SettingsValues {
    return Object.fromEntries(SETTING_KEYS.map((key) => [key, this.#repo.get(key)])) as SettingsValues;
  }

  set(entry: SettingEntry): SettingEntry {
    this.#repo.set(entry.key, entry.value as never);
    this.#bus.emit('settings.changed', entry);
    return entry;
  }
}
