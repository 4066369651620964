import { z } from 'zod';
import { PolicyNoteSchema, RouteReportSchema } from './dataPolicy';
import { AnsweredToolCallSchema, ConstrainedBySchema, StructuredParamsSchema, ToolCallSchema, structuredIssues } from './structured';

/**
 * What every model source (local GGUF, cloud API, OpenAI-compatible server) takes and returns.
 * Chat, compare and evals speak only these types, so none of them branches on where a model runs.
 */

/** `openai:gpt-4o-mini`, `anthropic:claude-sonnet-4-5`, `google:gemini-2.5-flash`, `compat:<endpoint>/<model>`, `local:<id>`, `route:<name>` (data policy). */
export const ModelRefSchema = z
  .string()
  .regex(/^(local|openai|anthropic|google|compat|route):.+$/, 'must look like provider:model, e.g. local:<id>, openai:gpt-4o-mini or route:<name>');
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export type ChatRole = z.infer<typeof ChatRoleSchema>;

export const ChatMessageSchema = z.object({
  role: ChatRoleSchema,
  content: z.string(),
  /**
   * An assistant turn's tool calls, each with the result given back to the model (typed by the
   * user or taken from a mock result set: Parity never runs a tool). A conversation whose last
   * message carries them continues that turn: the model answers with the results in view.
   */
  toolCalls: z.array(AnsweredToolCallSchema).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** Sampling parameters, identical for every provider. Absent means the provider's default. */
export const SamplingParamsSchema = z.object({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().int().min(0).optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0).max(4).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  seed: z.number().int().min(0).optional(),
  stop: z.array(z.string()).max(16).optional(),
});
export type SamplingParams = z.infer<typeof SamplingParamsSchema>;

/** Parameters only local models use; remote providers ignore them. */
export const LocalParamsSchema = z.object({
  threads: z.number().int().min(1).max(256).optional(),
  gpuLayers: z.union([z.number().int().min(0), z.literal('auto'), z.literal('max')]).optional(),
  contextSize: z.number().int().min(128).optional(),
  /** Chat template override, e.g. 'chatml', 'llama2', 'auto' (from the GGUF). */
  chatTemplate: z.string().optional(),
});
export type LocalParams = z.infer<typeof LocalParamsSchema>;

export const GenerationParamsSchema = SamplingParamsSchema.extend(LocalParamsSchema.shape)
  .extend(StructuredParamsSchema.shape)
  .superRefine((params, ctx) => {
    for (const issue of structuredIssues(params)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  });
export type GenerationParams = z.infer<typeof GenerationParamsSchema>;

export const StopReasonSchema = z.enum([
  'eos', // the model ended its answer
  'max-tokens',
  'stop-sequence',
  'aborted', // the user stopped it; partial text kept
  'error', // failed midway; partial text kept and marked incomplete
  'content-filter',
  'other',
]);
export type StopReason = z.infer<typeof StopReasonSchema>;

/** Stored with every assistant message and every eval cell. Nulls mean "not measured". */
export const GenerationMetricsSchema = z.object({
  provider: z.string(),
  model: z.string(),
  /** Where the prompt went: null for this device, else the host name. */
  host: z.string().nullable(),
  loadMs: z.number().nullable(),
  ttftMs: z.number().nullable(),
  /** Prompt tokens evaluated for this message; tokens reused from the cache of earlier turns are in `promptTokensCached`. */
  promptTokens: z.number().int().nullable(),
  /** From `promptTokens` and the time they took, so a long cached history cannot inflate it. */
  promptTokensPerSecond: z.number().nullable(),
  /** Prompt tokens reused from the KV cache of earlier turns (local models), not evaluated again. */
  promptTokensCached: z.number().int().nullable().optional(),
  /** The context filled while answering and the oldest part of the conversation was shifted out. */
  contextShifted: z.boolean().nullable().optional(),
  /** Oldest messages left out so the prompt fits the context (oldest turns first; system messages stay). */
  droppedMessages: z.number().int().nullable().optional(),
  completionTokens: z.number().int().nullable(),
  decodeTokensPerSecond: z.number().nullable(),
  totalMs: z.number(),
  stopReason: StopReasonSchema,
  usageEstimated: z.boolean(),
  costUsd: z.number().nullable(),
  retries: z.number().int(),
  fallbackFrom: z.string().nullable(),
  backend: z.string().nullable(),
  threads: z.number().int().nullable(),
  gpuLayers: z.number().int().nullable(),
  modelSha256: z.string().nullable(),
  requestId: z.string().nullable(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      /** The provider's own hint (its Retry-After) for a 429/503 that failed the answer; what the API passes on. Absent without one. */
      retryAfterSeconds: z.number().nonnegative().optional(),
    })
    .nullable(),
  /** How JSON or tool output was enforced: 'grammar' (local sampler), 'provider' (its native feature), null for none. Absent on older rows. */
  constrained: ConstrainedBySchema.optional(),
  /** The tool calls the answer made (the text is then often empty). Absent when the request offered no tools. */
  toolCalls: z.array(ToolCallSchema).optional(),
  /** Set when the ref was a `route:<name>`: which model answered and why. Absent otherwise. */
  route: RouteReportSchema.optional(),
  /** What the data policy did to this request (redacted, noted a warning, or was off); absent when it found nothing. */
  policy: PolicyNoteSchema.optional(),
  /** The sampling actually requested, defaults applied (a chat answer's fresh seed is here). Absent on rows saved before it was recorded. */
  sampling: SamplingParamsSchema.optional(),
});
export type GenerationMetrics = z.infer<typeof GenerationMetricsSchema>;

export function emptyMetrics(provider: string, model: string): GenerationMetrics {
  return {
    provider,
    model,
    host: null,
    loadMs: null,
    ttftMs: null,
    promptTokens: null,
    promptTokensPerSecond: null,
    completionTokens: null,
    decodeTokensPerSecond: null,
    totalMs: 0,
    stopReason: 'other',
    usageEstimated: false,
    costUsd: null,
    retries: 0,
    fallbackFrom: null,
    backend: null,
    threads: null,
    gpuLayers: null,
    modelSha256: null,
    requestId: null,
    error: null,
  };
}

