import type { AppInfo, PickPathInput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { SettingsService } from '../../core/settings/SettingsService';
import type { DomainHandlers } from '../Router';

/** Shows a native open dialog; only the desktop shell can. */
export type PathPicker = (request: PickPathInput) => Promise<string | null>;

export function appHandlers(info: () => AppInfo, pickPath?: PathPicker): DomainHandlers<'app'> {
  return {
    'app.info': () => info(),
    'app.pickPath': async (request) => {
      if (!pickPath) {
        throw new AppError('NOT_SUPPORTED', 'Choosing a file with a dialog works in the desktop app; in the browser, type or paste the path.');
      }
      return { path: await pickPath(request) };
    },
  };
}

export function settingsHandlers(settings: SettingsService): DomainHandlers<'settings'> {
  return {
    'settings.get': ({ key }) => ({ key, value: settings.get(key) }) as never,
    'settings.getAll': () => settings.getAll(),
    'settings.set': (entry) => settings.set(entry),
  };
}
