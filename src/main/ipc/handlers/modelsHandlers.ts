import type { Llama } from 'node-llama-cpp';
import { AppError } from '../../../shared/errors';
import { catalogueWithFit, findCatalogueItem } from '../../core/models/catalogue';
import { readHardware } from '../../core/models/fit';
import type { ModelDownloader } from '../../core/models/ModelDownloader';
import type { ModelLibrary } from '../../core/models/ModelLibrary';
import type { DomainHandlers } from '../Router';

export interface ModelsHandlersOptions {
  library: ModelLibrary;
  downloader: ModelDownloader;
  getLlama: () => Promise<Llama>;
}

export function modelsHandlers({ library, downloader, getLlama }: ModelsHandlersOptions): DomainHandlers<'models'> {
  return {
    'models.list': () => library.list(),
    'models.get': ({ id }) => library.get(id),
    'models.import': ({ path, mode }, ctx) => library.import(path, { mode, signal: ctx.signal }),
    'models.scan': ({ folder, mode }, ctx) => library.scan(folder, { mode, signal: ctx.signal }),
    'models.waitForHash': async ({ id }) => {
      await library.waitForHash(id);
      return library.get(id);
    },
    'models.remove': ({ id }) => library.remove(id),
    'models.hardware': async () => readHardware(await getLlama()),
    'models.catalogue': async () => {
      const hardware = await readHardware(await getLlama());
      const byName = library.idsByFileName();
      return catalogueWithFit(hardware, (item) => byName.get(item.uri.split('/').pop()!.toLowerCase()) ?? null);
    },
    'models.download.start': ({ source, expectedSha256, catalogueId }) => {
      if (catalogueId !== undefined) {
        const item = findCatalogueItem(catalogueId);
        if (!item) throw new AppError('NOT_FOUND', `"${catalogueId}" is not in the catalogue.`, { catalogueId });
        return downloader.download({ source: item.uri, expectedSha256: expectedSha256 ?? item.sha256 ?? undefined });
      }
      return downloader.download({ source, expectedSha256 });
    },
    'models.download.pause': ({ id }) => downloader.pause(id),
    'models.download.resume': ({ id }) => downloader.resume(id),
    'models.download.cancel': ({ id }) => downloader.cancel(id),
    'models.download.list': () => downloader.list(),
    'models.download.wait': ({ id }) => downloader.waitFor(id),
  };
}
