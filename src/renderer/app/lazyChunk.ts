import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { AppError } from '../../shared/errors';

/**
 * Loads a lazily split chunk; a chunk that cannot be fetched (the app was rebuilt or updated while
 * this window stayed open, so its file name changed) becomes an error that says to reload, instead
 * of the browser's "Failed to fetch dynamically imported module".
 */
export async function loadChunk<T>(load: () => Promise<T>, what: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new AppError('INTERNAL', `The code for ${what} could not be loaded; Parity was probably updated or rebuilt while this window was open. Reload the page.`, { what }, { cause: error });
  }
}

/** `React.lazy` with that error, e.g. `lazyChunk(() => import('./ChatPage').then((m) => m.ChatPage), 'the Chat page')`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same bound React.lazy itself takes
export function lazyChunk<T extends ComponentType<any>>(load: () => Promise<T>, what: string): LazyExoticComponent<T> {
  return lazy(async () => ({ default: await loadChunk(load, what) }));
}
