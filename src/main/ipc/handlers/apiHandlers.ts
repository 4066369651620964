import type { ApiEndpoints } from '../../core/api/ApiEndpoints';
import type { ApiKeyService } from '../../core/api/ApiKeyService';
import type { ApiRequestLog } from '../../core/api/ApiRequestLog';
import type { DomainHandlers } from '../Router';

export function apiHandlers(deps: { keys: ApiKeyService; log: ApiRequestLog; endpoints: ApiEndpoints }): DomainHandlers<'api'> {
  return {
    'api.keys.create': ({ name }) => deps.keys.create(name),
    'api.keys.list': () => ({ keys: deps.keys.list() }),
    'api.keys.revoke': ({ id }) => deps.keys.revoke(id),
    'api.requests.list': () => ({ requests: deps.log.list() }),
    'api.status': () => deps.endpoints.status(),
  };
}
