import type { CloudDefinition } from '../ProviderDefinition';
import { GoogleProvider } from './GoogleProvider';

export const google: CloudDefinition = {
  id: 'google',
  label: 'Google Gemini',
  kind: 'cloud',
  keyEnv: 'GEMINI_API_KEY',
  baseUrlEnv: 'GEMINI_BASE_URL',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  promptfooIds: ['google', 'gemini'],
  prices: {
    'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5, cachedInputPerMTok: 0.075 },
    'gemini-2.5-flash-lite': { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025 },
    'gemini-2.5-pro': { inputPerMTok: 1.25, outputPerMTok: 10, cachedInputPerMTok: 0.31 },
  },
  create: (deps) => new GoogleProvider({ ...deps, definition: google }),
};
