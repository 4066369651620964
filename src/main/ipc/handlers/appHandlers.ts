import type { AppInfo } from '../../../shared/contract';
import type { SettingsService } from '../../core/settings/SettingsService';
import type { DomainHandlers } from '../Router';

export function appHandlers(info: () => AppInfo): DomainHandlers<'app'> {
  return {
    'app.info': () => info(),
  };
}

export function settingsHandlers(settings: SettingsService): DomainHandlers<'settings'> {
  return {
    'settings.get': ({ key }) => ({ key, value: settings.get(key) }) as never,
    'settings.getAll': () => settings.getAll(),
    'settings.set': (entry) => settings.set(entry),
  };
}
