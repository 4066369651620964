import { z } from 'zod';
import { ChatMessageSchema, GenerationMetricsSchema, GenerationParamsSchema, ModelRefSchema } from '../domain/generation';
import { route } from './route';

/** Per-conversation parameters: sampling + local (threads, GPU layers, context size, chat template). */
export const ConversationParamsSchema = GenerationParamsSchema;
export type ConversationParams = z.infer<typeof ConversationParamsSchema>;

export const MessageStatusSchema = z.enum(['complete', 'streaming', 'stopped', 'error', 'interrupted']);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const ConversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  modelRef: z.string().nullable(),
  systemPrompt: z.string(),
  params: ConversationParamsSchema,
  activeLeafId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  parentId: z.string().nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  status: MessageStatusSchema,
  modelRef: z.string().nullable(),
  metrics: GenerationMetricsSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

/** A message on the shown branch, with its siblings so the UI can offer "2 / 3". */
export const PathMessageSchema = MessageSchema.extend({
  siblingIds: z.array(z.string()),
  siblingIndex: z.number().int(),
});
export type PathMessage = z.infer<typeof PathMessageSchema>;

export const ConversationViewSchema = z.object({
  conversation: ConversationSchema,
  /** Root → active leaf. */
  path: z.array(PathMessageSchema),
  /** True while an answer is being generated in this conversation. */
  generating: z.boolean(),
});
export type ConversationView = z.infer<typeof ConversationViewSchema>;

export const ConversationSummarySchema = ConversationSchema.pick({ id: true, title: true, modelRef: true, updatedAt: true, createdAt: true }).extend({
  /** Start of the matching message when the search matched content. */
  snippet: z.string().nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

const Id = z.object({ id: z.string().min(1) }).strict();
const SendResultSchema = z.object({ userMessageId: z.string().nullable(), assistantMessageId: z.string() });

/** The longest message `chat.complete` takes, as a conversation's `chat.send` (a client sends less at once or splits it). */
export const CHAT_COMPLETE_MESSAGE_MAX_CHARS = 1_000_000;
/** The most messages one `chat.complete` request carries. */
export const CHAT_COMPLETE_MAX_MESSAGES = 10_000;

/** A message of a `chat.complete` request: a chat turn, an assistant turn with its answered tool calls included. */
export const ChatCompleteMessageSchema = ChatMessageSchema.extend({ content: z.string().max(CHAT_COMPLETE_MESSAGE_MAX_CHARS) }).strict();

/**
 * What fills the sampling a request leaves unset (after the model file's own recommendation):
 * `chat` samples at 0.7 with a fresh seed, as a conversation does; `openai` samples local models
 * at OpenAI's default temperature 1 with a fresh seed and leaves a remote model's own defaults alone.
 */
export const CompleteSamplingSchema = z.enum(['chat', 'openai']);
export type CompleteSampling = z.infer<typeof CompleteSamplingSchema>;

/** One conversation's messages, one answer, nothing stored: `parity chat`, the OpenAI-compatible API and any client that keeps its own history. */
export const ChatCompleteInputSchema = z
  .object({
    /** Chosen by the caller, so it can pick out its `chat.complete.delta` events while the answer streams. */
    requestId: z.string().min(1).max(200),
    /** A library model id, a `local:` ref, a path to a .gguf, or `provider:model`. */
    model: z.string().min(1),
    /** System, user and assistant turns in order (an assistant turn may carry its tool calls with their results); the model answers the last. */
    messages: z.array(ChatCompleteMessageSchema).min(1).max(CHAT_COMPLETE_MAX_MESSAGES),
    /** What the caller set; the rest gets a chat's defaults (a fresh seed, DEFAULT_MAX_TOKENS.chat, sampling as `sampling` says). */
    params: GenerationParamsSchema.default({}),
    sampling: CompleteSamplingSchema.default('chat'),
    /** Parallel answers the caller runs on this model at most (the API's queue slots): a local model's context holds that many sequences. */
    sequences: z.number().int().min(1).max(64).optional(),
    /** A .gguf path the library does not know is linked into it first (the CLI's `--model ./x.gguf`); otherwise it is NOT_FOUND. */
    importIfMissing: z.boolean().default(false),
    /** Waits for a just-imported model's background sha256, so the output can name the exact file. */
    waitForSha256: z.boolean().default(false),
  })
  .strict();
export type ChatCompleteInput = z.input<typeof ChatCompleteInputSchema>;
export type ChatCompleteRequest = z.output<typeof ChatCompleteInputSchema>;
export const ChatCompleteOutputSchema = z.object({
  text: z.string(),
  model: z.object({ id: z.string(), ref: z.string(), sha256: z.string().nullable() }),
  metrics: GenerationMetricsSchema,
});
export type ChatCompleteOutput = z.infer<typeof ChatCompleteOutputSchema>;

export const chatRoutes = {
  'chat.conversations.list': route(z.object({ query: z.string().max(500).optional() }).strict(), z.array(ConversationSummarySchema)),
  'chat.conversations.get': route(Id, ConversationViewSchema),
  'chat.conversations.create': route(
    z
      .object({
        title: z.string().max(200).optional(),
        modelRef: ModelRefSchema.nullable().optional(),
        systemPrompt: z.string().max(100_000).optional(),
        params: ConversationParamsSchema.optional(),
      })
      .strict(),
    ConversationSchema,
  ),
  'chat.conversations.rename': route(z.object({ id: z.string().min(1), title: z.string().trim().min(1).max(200) }).strict(), ConversationSchema),
  'chat.conversations.delete': route(Id, z.object({ id: z.string(), deletedAt: z.string() })),
  'chat.conversations.restore': route(Id, ConversationSchema),
  'chat.conversations.update': route(
    z
      .object({
        id: z.string().min(1),
        modelRef: ModelRefSchema.nullable().optional(),
        systemPrompt: z.string().max(100_000).optional(),
        params: ConversationParamsSchema.optional(),
      })
      .strict(),
    ConversationSchema,
  ),
  /** `confirmPolicy`: the user confirmed sending what a data-policy `warn` rule found (the answer otherwise ends with POLICY_CONFIRM). */
  'chat.send': route(z.object({ conversationId: z.string().min(1), text: z.string().min(1).max(1_000_000), confirmPolicy: z.boolean().optional() }).strict(), SendResultSchema),
  'chat.regenerate': route(z.object({ conversationId: z.string().min(1), messageId: z.string().min(1), confirmPolicy: z.boolean().optional() }).strict(), SendResultSchema),
  'chat.edit': route(z.object({ conversationId: z.string().min(1), messageId: z.string().min(1), text: z.string().min(1).max(1_000_000) }).strict(), SendResultSchema),
  /** Gives the model the results of an answer's tool calls (typed by the user or from the tool's mock results) and continues. Nothing is executed. */
  'chat.answerTools': route(
    z.object({ conversationId: z.string().min(1), messageId: z.string().min(1), results: z.array(z.unknown()).min(1).max(128) }).strict(),
    SendResultSchema,
  ),
  'chat.stop': route(z.object({ conversationId: z.string().min(1) }).strict(), z.object({ stopped: z.boolean() })),
  'chat.switchBranch': route(z.object({ conversationId: z.string().min(1), messageId: z.string().min(1) }).strict(), ConversationViewSchema),
  /** Streams as `chat.complete.delta` to in-process callers (CLI, the /v1 API); resolves with the whole answer and its metrics (usage, stop reason, tool calls, error). The request's signal stops it (partial text kept). */
  'chat.complete': route(ChatCompleteInputSchema, ChatCompleteOutputSchema),
} as const;

export const chatEvents = {
  /**
   * A batch of streamed text (every ~16-33 ms), appended to the message, with what the live speed
   * is computed from: time since the request, time to the first token, and deltas so far (about
   * one token each; the final metrics replace the estimate).
   */
  'chat.delta': z.object({
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string(),
    stats: z.object({ elapsedMs: z.number(), ttftMs: z.number(), deltas: z.number().int() }),
  }),
  'chat.done': z.object({
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string(),
    status: MessageStatusSchema,
    metrics: GenerationMetricsSchema,
  }),
  /** The conversation list changed (created, renamed, deleted, restored, new message). */
  'chat.conversations.changed': z.object({ id: z.string() }),
  /** A batch of a `chat.complete` answer's text; in process only (see isBroadcastEvent): no window or browser receives it. */
  'chat.complete.delta': z.object({ requestId: z.string(), text: z.string() }),
} as const;
