import type { PriceTable } from '../../core/pricing/PriceTable';
import type { ProvidersService } from '../../core/providers/service/ProvidersService';
import type { DomainHandlers } from '../Router';

export function providersHandlers(providers: ProvidersService): DomainHandlers<'providers'> {
  return {
    'providers.list': () => providers.list(),
    'providers.setKey': ({ provider, key }) => providers.setKey(provider, key),
    'providers.clearKey': ({ provider }) => providers.clearKey(provider),
    'providers.setEnabled': ({ provider, enabled }) => providers.setEnabled(provider, enabled),
    'providers.addEndpoint': (input) => providers.addEndpoint(input),
    'providers.removeEndpoint': ({ name }) => providers.removeEndpoint(name),
    'providers.models': ({ refresh }) => providers.models(refresh),
    'providers.destination': ({ ref }) => providers.destination(ref),
  };
}

export function pricesHandlers(prices: PriceTable): DomainHandlers<'prices'> {
  const snapshot = () => ({ ...prices.info(), prices: prices.list() });
  return {
    'prices.get': () => snapshot(),
    'prices.set': ({ ref, reset, ...price }) => {
      if (reset) prices.reset(ref);
      else prices.set(ref, price);
      return snapshot();
    },
  };
}
