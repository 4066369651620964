import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CHAT_COMPLETE_MESSAGE_MAX_CHARS, type ChatCompleteOutput } from '../../../shared/contract/chat';
import type { ChatMessage, GenerationMetrics, GenerationParams, StopReason } from '../../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS } from '../../../shared/domain/generationDefaults';
import type { AnsweredToolCall } from '../../../shared/domain/structured';
import { LOCAL_PROVIDER, localId, localRef, parseOrLocal } from '../../../shared/domain/modelRef';
import type { ModelQueue } from '../../core/api/ModelQueue';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { badRequest, fromZod, OpenAiHttpError, toOpenAiError, unsupportedParam } from './openAiErrors';
import {
  CHAT_HARMLESS_PARAMS,
  CHAT_KNOWN_PARAMS,
  CHAT_NOT_YET_PARAMS,
  ChatCompletionRequestSchema,
  type ChatRequestMessage,
} from './openAiSchemas';
import { foldToolMessages, openAiToolCalls, structuredFromOpenAi } from './openAiStructured';
import { SseWriter } from './SseWriter';
import type { ApiClient } from './apiClient';

export interface ChatPlan {
  ref: string;
  messages: ChatMessage[];
  params: GenerationParams;
  stream: boolean;
  includeUsage: boolean;
}

/** Refuses what we cannot honour, naming it: never silently ignore a parameter that changes the answer. */
export function checkParams(body: Record<string, unknown>, known: ReadonlySet<string>, harmless: Record<string, (v: unknown) => boolean> = {}): void {
  for (const [key, value] of Object.entries(body)) {
    if (CHAT_NOT_YET_PARAMS.has(key)) throw unsupportedParam(key, 'not-yet');
    if (known.has(key)) continue;
    const ok = harmless[key];
    if (!ok) throw unsupportedParam(key, 'unknown');
    if (!ok(value)) throw unsupportedParam(key, 'value');
  }
}

function textOf(message: ChatRequestMessage, i: number): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) {
    if (message.role === 'assistant') return '';
    throw badRequest(`\`messages[${i}].content\` is missing.`, `messages[${i}].content`);
  }
  return content
    .map((part, j) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw badRequest(`\`messages[${i}].content[${j}]\` is a "${part.type}" part; Parity's API takes text parts only.`, `messages[${i}].content[${j}].type`, 'unsupported_content');
      }
      return part.text;
    })
    .join('\n');
}

function toMessages(messages: ChatRequestMessage[]): ChatMessage[] {
  // Assistant tool calls and the tool messages that answer them become one assistant turn with results.
  const folded = foldToolMessages(messages);
  return folded.rest.map(({ message: m, index: i }) => {
    const message = toMessage(m, i, folded.calls.get(i));
    if (message.content.length > CHAT_COMPLETE_MESSAGE_MAX_CHARS) {
      throw badRequest(`\`messages[${i}].content\` has ${message.content.length.toLocaleString('en-US')} characters; a message may have at most ${CHAT_COMPLETE_MESSAGE_MAX_CHARS.toLocaleString('en-US')}.`, `messages[${i}].content`, 'string_above_max_length');
    }
    return message;
  });
}

function toMessage(m: ChatRequestMessage, i: number, calls: AnsweredToolCall[] | undefined): ChatMessage {
  if (calls) return { role: 'assistant', content: typeof m.content === 'string' ? m.content : m.content ? textOf(m, i) : '', toolCalls: calls };
  switch (m.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOf(m, i) };
    case 'user':
      return { role: 'user', content: textOf(m, i) };
    case 'assistant':
      return { role: 'assistant', content: textOf(m, i) };
    case 'function':
      throw unsupportedParam(`messages[${i}].role`, 'not-yet');
    default:
      throw badRequest(`\`messages[${i}].role\` "${m.role}" is not one of system, developer, user, assistant.`, `messages[${i}].role`);
  }
}

/** An OpenAI chat request → what the `chat.complete` route takes, or a 400 naming the parameter. */
export function planChat(raw: unknown): ChatPlan {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('The request body must be a JSON object.', null);
  checkParams(raw as Record<string, unknown>, CHAT_KNOWN_PARAMS, CHAT_HARMLESS_PARAMS);
  const parsed = ChatCompletionRequestSchema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error);
  const body = parsed.data;
  if (body.n !== null && body.n !== undefined && body.n > 1) throw badRequest('`n` greater than 1 is not supported: send one request per answer.', 'n', 'unsupported_parameter');
  if (body.stream_options && !body.stream) throw badRequest('`stream_options` is only allowed with `stream: true`.', 'stream_options');
  const params: GenerationParams = {};
  if (body.temperature !== null && body.temperature !== undefined) params.temperature = body.temperature;
  if (body.top_p !== null && body.top_p !== undefined) params.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  // Without a limit a local model writes until its context is full (and shifts it): the API caps
  // an answer like chat does, and a client that wants more says so.
  params.maxTokens = maxTokens ?? DEFAULT_MAX_TOKENS.chat;
  if (body.seed !== null && body.seed !== undefined) params.seed = body.seed;
  if (body.top_k !== null && body.top_k !== undefined) params.topK = body.top_k;
  if (body.min_p !== null && body.min_p !== undefined) params.minP = body.min_p;
  if (body.repeat_penalty !== null && body.repeat_penalty !== undefined) params.repeatPenalty = body.repeat_penalty;
  if (body.stop !== null && body.stop !== undefined) {
    const stop = (typeof body.stop === 'string' ? [body.stop] : body.stop).filter((s) => s.length > 0);
    if (stop.length > 0) params.stop = stop;
  }
  Object.assign(params, structuredFromOpenAi(raw as Record<string, unknown>));
  return { ref: body.model, messages: toMessages(body.messages), params, stream: body.stream === true, includeUsage: body.stream_options?.include_usage === true };
}

export function finishReason(stop: StopReason, toolCalls = 0): 'stop' | 'length' | 'content_filter' | 'tool_calls' {
  if (toolCalls > 0 && stop === 'eos') return 'tool_calls';
  return stop === 'max-tokens' ? 'length' : stop === 'content-filter' ? 'content_filter' : 'stop';
}

export function usageOf(metrics: GenerationMetrics): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  // OpenAI's prompt_tokens is the whole prompt; a local model reports what it evaluated and what it reused from its cache apart.
  const prompt = (metrics.promptTokens ?? 0) + (metrics.promptTokensCached ?? 0);
  const completion = metrics.completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface ChatDeps {
  client: ApiClient;
  queue: ModelQueue;
}

/** What the request log records about one chat request. */
export interface ChatOutcome {
  metrics: GenerationMetrics | null;
  firstTokenAt: number | null;
  /** Set when the answer failed after its stream began (the HTTP status was already 200). */
  streamError: OpenAiHttpError | null;
  aborted: boolean;
}

type Chunk = (delta: Record<string, unknown>, finish: string | null) => Record<string, unknown>;

/**
 * Runs one chat completion through the `chat.complete` route (the path `parity chat` takes: egress
 * gateway, offline switch, data policy and audit for remote models; the shared engine for local
 * ones) and writes OpenAI's shape: its `chat.complete.delta` events become the SSE chunks, its
 * final metrics the usage, finish reason and tool calls. Local models wait in their bounded queue
 * (admission control is the transport's); a disconnect aborts the route through `signal`.
 */
export async function runChat(plan: ChatPlan, res: ServerResponse, deps: ChatDeps, { signal, requestId }: { signal: AbortSignal; requestId: string }): Promise<ChatOutcome> {
  const local = parseOrLocal(plan.ref).provider === LOCAL_PROVIDER;
  // One queue per library model, however the request spelled it.
  const release = local ? await deps.queue.acquire(localRef(localId(plan.ref)), signal) : null;
  const outcome: ChatOutcome = { metrics: null, firstTokenAt: null, streamError: null, aborted: false };
  const meta = { id: `chatcmpl-${randomBytes(12).toString('hex')}`, created: Math.floor(Date.now() / 1000) };
  const sse = plan.stream ? new SseWriter(res) : null;
  const usage = plan.includeUsage ? { usage: null } : {};
  const chunk: Chunk = (delta, finish) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: plan.ref,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usage,
  });
  const off = deps.client.on('chat.complete.delta', (d) => {
    if (d.requestId !== requestId) return;
    outcome.firstTokenAt ??= performance.now();
    if (!sse) return;
    if (!sse.opened) sse.send(chunk({ role: 'assistant', content: '' }, null));
    sse.send(chunk({ content: d.text }, null));
  });
  let answer: ChatCompleteOutput;
  try {
    answer = await deps.client.call(
      'chat.complete',
      {
        requestId,
        model: plan.ref,
        messages: plan.messages,
        params: plan.params,
        sampling: 'openai',
        // Every parallel API request on this model is one sequence of one shared context.
        sequences: local ? deps.queue.maxParallel : undefined,
      },
      { signal },
    );
  } catch (error) {
    // Refused before its first token: a plain JSON error with its status (the caller writes it).
    if (!sse?.opened) throw error;
    outcome.streamError = toOpenAiError(error);
    sse.fail(outcome.streamError.body());
    return outcome;
  } finally {
    off();
    release?.();
  }
  const { metrics } = answer;
  outcome.metrics = metrics;
  if (metrics.stopReason === 'aborted') {
    outcome.aborted = true;
    return outcome;
  }
  const failure = metrics.error ? failureOf(metrics.error) : null;
  if (sse) {
    if (failure && metrics.stopReason === 'error') {
      // Nothing streamed yet: a plain JSON error with the right status.
      if (!sse.opened) throw failure;
    } else {
      finishStream(plan, sse, chunk, meta, answer);
    }
    if (failure) {
      outcome.streamError = failure;
      sse.fail(failure.body());
    }
    return outcome;
  }
  if (failure && metrics.stopReason === 'error') throw failure;
  writeJson(res, 200, {
    ...meta,
    object: 'chat.completion',
    model: plan.ref,
    system_fingerprint: null,
    choices: [{ index: 0, message: messageOf(answer), logprobs: null, finish_reason: finishReason(metrics.stopReason, metrics.toolCalls?.length) }],
    usage: usageOf(metrics),
  });
  return outcome;
}

/** The end of a stream: each tool call, the finish reason, usage when asked for, then [DONE]. */
function finishStream(plan: ChatPlan, sse: SseWriter, chunk: Chunk, meta: { id: string; created: number }, answer: ChatCompleteOutput): void {
  if (!sse.opened) sse.send(chunk({ role: 'assistant', content: '' }, null));
  const calls = answer.metrics.toolCalls ?? [];
  // Parity has each call whole when the answer ends: one delta per call, in OpenAI's indexed shape.
  openAiToolCalls(calls).forEach((call, index) => sse.send(chunk({ tool_calls: [{ index, ...call }] }, null)));
  sse.send(chunk({}, finishReason(answer.metrics.stopReason, calls.length)));
  if (plan.includeUsage) sse.send({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: plan.ref, system_fingerprint: null, choices: [], usage: usageOf(answer.metrics) });
  sse.done();
}

function messageOf(answer: ChatCompleteOutput): Record<string, unknown> {
  const calls = answer.metrics.toolCalls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: answer.text, refusal: null };
  return { role: 'assistant', content: answer.text.length > 0 ? answer.text : null, refusal: null, tool_calls: openAiToolCalls(calls) };
}

function failureOf(error: NonNullable<GenerationMetrics['error']>): OpenAiHttpError {
  // The provider's retry hint rides in the metrics (the route's only answer) and becomes Retry-After.
  const details = error.retryAfterSeconds === undefined ? undefined : { retryAfterSeconds: error.retryAfterSeconds };
  return toOpenAiError(new AppError(error.code as ErrorCode, error.message, details));
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
