import type { CloudDefinition } from '../ProviderDefinition';
import { AnthropicProvider } from './AnthropicProvider';

export const anthropic: CloudDefinition = {
  id: 'anthropic',
  label: 'Anthropic',
  kind: 'cloud',
  keyEnv: 'ANTHROPIC_API_KEY',
  baseUrlEnv: 'ANTHROPIC_BASE_URL',
  defaultBaseUrl: 'https://api.anthropic.com/v1',
  promptfooIds: ['anthropic'],
  prices: {
    'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 },
    'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5, cachedInputPerMTok: 0.1 },
    'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75, cachedInputPerMTok: 1.5 },
  },
  create: (deps) => new AnthropicProvider({ ...deps, definition: anthropic }),
};
