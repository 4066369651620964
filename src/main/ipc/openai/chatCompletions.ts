import { randomBytes, randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ChatMessage, GenerationMetrics, GenerationParams, StopReason } from '../../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS, MAX_SEED } from '../../../shared/domain/generationDefaults';
import { isLocal } from '../../../shared/domain/modelRef';
import type { ModelQueue } from '../../core/api/ModelQueue';
import type { GenerationService } from '../../core/generation/GenerationService';
import type { StreamEvent } from '../../core/providers/ModelProvider';
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

/** OpenAI's default when a request leaves temperature unset; applied to local models only (remote ones have it as their own default). */
const OPENAI_DEFAULT_TEMPERATURE = 1;

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
    const calls = folded.calls.get(i);
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
  });
}

/** An OpenAI chat request → what GenerationService takes, or a 400 naming the parameter. */
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
  generation: Pick<GenerationService, 'stream'>;
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

/**
 * Runs one chat completion through GenerationService (the path chat takes: egress gateway, offline
 * switch and audit for remote models; the shared engine for local ones) and writes OpenAI's shape.
 * Local models wait in their bounded queue; a disconnect aborts through `signal`.
 */
export async function runChat(plan: ChatPlan, res: ServerResponse, deps: ChatDeps, signal: AbortSignal): Promise<ChatOutcome> {
  const local = isLocal(plan.ref);
  const release = local ? await deps.queue.acquire(plan.ref, signal) : null;
  const outcome: ChatOutcome = { metrics: null, firstTokenAt: null, streamError: null, aborted: false };
  try {
    const events = deps.generation.stream(plan.ref, plan.messages, plan.params, {
      signal,
      // Every parallel API request on this model is one sequence of one shared context.
      sequences: local ? deps.queue.maxParallel : undefined,
      fillSampling: local ? { temperature: OPENAI_DEFAULT_TEMPERATURE, seed: randomInt(0, MAX_SEED) } : undefined,
    });
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const sse = plan.stream ? new SseWriter(res) : null;
    const done = sse ? await writeStream(plan, sse, events, { id, created }, outcome) : await collect(events, outcome);
    outcome.metrics = done.metrics;
    if (done.metrics.stopReason === 'aborted') {
      outcome.aborted = true;
      return outcome;
    }
    const failure = done.metrics.error ? failureOf(done.metrics.error) : null;
    if (sse) {
      if (failure) {
        outcome.streamError = failure;
        sse.fail(failure.body());
      }
      return outcome;
    }
    if (failure && done.metrics.stopReason === 'error') throw failure;
    writeJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: plan.ref,
      system_fingerprint: null,
      choices: [{ index: 0, message: messageOf(done), logprobs: null, finish_reason: finishReason(done.metrics.stopReason, done.metrics.toolCalls?.length) }],
      usage: usageOf(done.metrics),
    });
    return outcome;
  } finally {
    release?.();
  }
}

type Done = Extract<StreamEvent, { type: 'done' }>;

function messageOf(done: Done): Record<string, unknown> {
  const calls = done.metrics.toolCalls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: done.text, refusal: null };
  return { role: 'assistant', content: done.text.length > 0 ? done.text : null, refusal: null, tool_calls: openAiToolCalls(calls) };
}

function failureOf(error: { code: string; message: string }): OpenAiHttpError {
  return toOpenAiError(new AppError(error.code as ErrorCode, error.message));
}

function endedEarly(): OpenAiHttpError {
  return new OpenAiHttpError(502, 'The model ended without a final result.', 'server_error', 'upstream_bad_response');
}

async function collect(events: AsyncIterable<StreamEvent>, outcome: ChatOutcome): Promise<Done> {
  for await (const event of events) {
    if (event.type === 'delta') outcome.firstTokenAt ??= performance.now();
    else return event;
  }
  throw endedEarly();
}

async function writeStream(plan: ChatPlan, sse: SseWriter, events: AsyncIterable<StreamEvent>, meta: { id: string; created: number }, outcome: ChatOutcome): Promise<Done> {
  const usage = plan.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finish: string | null): Record<string, unknown> => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: plan.ref,
    system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usage,
  });
  for await (const event of events) {
    if (event.type === 'delta') {
      if (!sse.opened) sse.send(chunk({ role: 'assistant', content: '' }, null));
      outcome.firstTokenAt ??= performance.now();
      sse.send(chunk({ content: event.text }, null));
      continue;
    }
    if (event.metrics.stopReason === 'aborted' || (event.metrics.error && event.metrics.stopReason === 'error')) {
      // Nothing streamed yet: the caller answers with a plain JSON error (or nothing, for a client that left).
      if (!sse.opened && event.metrics.error) throw failureOf(event.metrics.error);
      return event;
    }
    if (!sse.opened) sse.send(chunk({ role: 'assistant', content: '' }, null));
    const calls = event.metrics.toolCalls ?? [];
    // Parity has each call whole when the answer ends: one delta per call, in OpenAI's indexed shape.
    openAiToolCalls(calls).forEach((call, index) => sse.send(chunk({ tool_calls: [{ index, ...call }] }, null)));
    sse.send(chunk({}, finishReason(event.metrics.stopReason, calls.length)));
    if (plan.includeUsage) sse.send({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: plan.ref, system_fingerprint: null, choices: [], usage: usageOf(event.metrics) });
    sse.done();
    return event;
  }
  throw endedEarly();
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
