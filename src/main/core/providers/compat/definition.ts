import { COMPAT_PROVIDER } from '../../../../shared/domain/modelRef';
import type { ProviderDefinition } from '../ProviderDefinition';
import { CompatProvider } from './CompatProvider';

/** OpenAI-compatible endpoints: each has its own base URL and key (see presets.ts for the known servers). */
export const compat: ProviderDefinition = {
  id: COMPAT_PROVIDER,
  label: 'OpenAI-compatible endpoints',
  kind: 'compat',
  keyEnv: null,
  baseUrlEnv: null,
  defaultBaseUrl: null,
  prices: {},
  create: (deps) => new CompatProvider(deps),
};
