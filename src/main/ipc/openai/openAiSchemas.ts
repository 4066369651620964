import { z } from 'zod';
import { CHAT_COMPLETE_MAX_MESSAGES } from '../../../shared/contract/chat';
import { EMBEDDINGS_INPUT_MAX_CHARS, EMBEDDINGS_MAX_INPUTS } from '../../../shared/contract/embeddings';

/**
 * The request bodies of the OpenAI-compatible API. Objects are loose here on purpose: the handler
 * checks unknown and unsupported parameters itself so it can answer 400 naming the parameter.
 */

const ContentPartSchema = z.object({ type: z.string() }).loose();

export const ChatRequestMessageSchema = z
  .object({
    role: z.string(),
    content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
    name: z.string().optional(),
  })
  .loose();
export type ChatRequestMessage = z.infer<typeof ChatRequestMessageSchema>;

export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(ChatRequestMessageSchema).min(1, 'must hold at least one message').max(CHAT_COMPLETE_MAX_MESSAGES),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    // The most any Parity model is asked for in one answer (GenerationParams' limit).
    max_tokens: z.number().int().min(1).max(1_000_000).nullish(),
    max_completion_tokens: z.number().int().min(1).max(1_000_000).nullish(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
    n: z.number().int().min(1).nullish(),
    // Extensions llama.cpp's server also takes; Parity's local models honour them.
    top_k: z.number().int().min(0).nullish(),
    min_p: z.number().min(0).max(1).nullish(),
    repeat_penalty: z.number().min(0).max(4).nullish(),
  })
  .loose();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const EmbeddingsRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string().max(EMBEDDINGS_INPUT_MAX_CHARS), z.array(z.string().max(EMBEDDINGS_INPUT_MAX_CHARS)).min(1).max(EMBEDDINGS_MAX_INPUTS)]),
    encoding_format: z.enum(['float', 'base64']).nullish(),
  })
  .loose();
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequestSchema>;

/** Parameters we read. */
export const CHAT_KNOWN_PARAMS = new Set([
  'model',
  'messages',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'seed',
  'stop',
  'stream',
  'stream_options',
  'n',
  'top_k',
  'min_p',
  'repeat_penalty',
  'response_format',
  'tools',
  'tool_choice',
]);

/**
 * Parameters clients send by default or as bookkeeping that change nothing about the answer when
 * they hold these values (LangChain sends `n: 1` and zero penalties; SDKs send `user`, `store`).
 */
export const CHAT_HARMLESS_PARAMS: Record<string, (value: unknown) => boolean> = {
  user: () => true,
  metadata: () => true,
  store: (v) => v === false || v === null,
  service_tier: (v) => v === null || v === 'auto' || v === 'default',
  logprobs: (v) => v === false || v === null,
  top_logprobs: (v) => v === null || v === 0,
  presence_penalty: (v) => v === null || v === 0,
  frequency_penalty: (v) => v === null || v === 0,
  logit_bias: (v) => v === null || (typeof v === 'object' && Object.keys(v as object).length === 0),
  // Local models make one call per answer anyway; remote providers keep their own default.
  parallel_tool_calls: () => true,
};

/** The legacy function-calling parameters: refused clearly (clients send `tools` today). */
export const CHAT_NOT_YET_PARAMS = new Set(['functions', 'function_call']);

export const EMBEDDINGS_KNOWN_PARAMS = new Set(['model', 'input', 'encoding_format', 'user']);
