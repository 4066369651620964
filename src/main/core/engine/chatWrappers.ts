import {
  resolveChatWrapper,
  specializedChatWrapperTypeNames,
  type ChatWrapper,
  type LlamaModel,
  type SpecializedChatWrapperTypeName,
} from 'node-llama-cpp';
import { AppError } from '../../../shared/errors';

/** Friendly override names (what users type) → node-llama-cpp's wrapper type names. */
const ALIASES: Record<string, SpecializedChatWrapperTypeName> = {
  chatml: 'chatML',
  llama2: 'llama2Chat',
  'llama-2': 'llama2Chat',
  llama3: 'llama3',
  'llama3.1': 'llama3.1',
  'llama-3': 'llama3',
  general: 'general',
  mistral: 'mistral',
  gemma: 'gemma',
  qwen: 'qwen',
  deepseek: 'deepSeek',
  alpaca: 'alpacaChat',
  falcon: 'falconChat',
};

export const CHAT_TEMPLATE_NAMES = ['auto', ...Object.keys(ALIASES)] as const;

function wrapperType(name: string): SpecializedChatWrapperTypeName {
  const alias = ALIASES[name.toLowerCase()];
  if (alias) return alias;
  if ((specializedChatWrapperTypeNames as readonly string[]).includes(name)) return name as SpecializedChatWrapperTypeName;
  throw new AppError('VALIDATION_FAILED', `Unknown chat template "${name}". Use one of: ${CHAT_TEMPLATE_NAMES.join(', ')}.`, {
    field: 'chatTemplate',
    value: name,
  });
}

/**
 * The chat wrapper for a model: the GGUF's own template by default (node-llama-cpp falls back
 * to its general wrapper when the file has none), or the named override.
 */
export function chatWrapperFor(model: LlamaModel, template: string | undefined): ChatWrapper {
  if (!template || template === 'auto') return resolveChatWrapper(model, { warningLogs: false });
  return resolveChatWrapper(model, { type: wrapperType(template), warningLogs: false });
}
