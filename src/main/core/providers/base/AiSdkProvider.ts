import { streamText, type LanguageModel } from 'ai';
import { AppError } from '../../../../shared/errors';
import { emptyMetrics, type StopReason } from '../../../../shared/domain/generation';
import type { EgressGateway, FetchLike } from '../../egress/EgressGateway';
import type { ModelProvider, ProviderCapabilities, ProviderModelInfo, StreamEvent, StreamOptions, StreamRequest } from '../ModelProvider';
import { wantsStructure } from '../../../../shared/domain/structured';
import { checkSchemas } from '../../generation/checkSchemas';
import { withProblems } from '../../generation/toolCallProblem';
import { mapProviderError, type ErrorContext } from './providerErrors';
import { sdkStructure, toModelMessages, ToolCallCollector, unsupported, unsupportedFromWarnings } from './remoteStructure';

/** Everything needed to call one model: resolved per call so key and URL changes apply at once. */
export interface RemoteTarget extends ErrorContext {
  /** The id the gateway's per-provider switch is keyed by (`openai`, `compat:groq`). */
  egressId: string;
  baseUrl: string;
  create(fetch: FetchLike): LanguageModel;
}

export const REMOTE_CAPABILITIES: ProviderCapabilities = {
  local: false,
  streaming: true,
  listModels: true,
  seed: false,
  defaultConcurrency: 4,
};

function stopReasonOf(reason: string | undefined): StopReason {
  switch (reason) {
    case 'stop':
      return 'eos';
    case 'length':
      return 'max-tokens';
    case 'content-filter':
      return 'content-filter';
    case 'tool-calls':
      // The model ended its turn by calling a tool: a complete answer.
      return 'eos';
    case 'error':
    case 'interrupted':
      return 'error';
    default:
      return 'other';
  }
}

const STRUCTURE_REJECTED = /response_format|json_schema|json_object|structured|tool|function/i;

export function hostOf(baseUrl: string): string {
  return new URL(baseUrl).host;
}

/**
 * The AI SDK does the wire protocol; this class does what is ours: no SDK retries (GenerationService
 * owns retry policy), HTTP through the egress gateway, errors mapped to AppErrors, and the
 * ModelProvider contract (throw before the first delta, `done` with partial text after it).
 */
export abstract class AiSdkProvider implements ModelProvider {
  abstract readonly id: string;
  readonly capabilities = REMOTE_CAPABILITIES;
  protected readonly gateway: EgressGateway;

  constructor(gateway: EgressGateway) {
    this.gateway = gateway;
  }

  /** Resolves the model's endpoint and key; throws PROVIDER_AUTH when no key is configured. */
  protected abstract target(model: string): RemoteTarget;
  abstract listModels(options?: StreamOptions): Promise<ProviderModelInfo[]>;
  /** Models known without asking the network (configured or priced ones), for pickers. */
  abstract knownModels(): ProviderModelInfo[];
  /** Where the host is, even when no key is set yet (for the destination badge). */
  abstract destination(model: string): string | null;

  /**
   * A structure feature this provider cannot honour, known before sending (so nothing is spent);
   * the SDK's own warnings catch the rest. `[feature, details]` or null.
   */
  protected unsupportedStructure(_params: StreamRequest['params']): [feature: string, details: string] | null {
    return null;
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    const started = performance.now();
    const target = this.target(request.model);
    const metrics = { ...emptyMetrics(this.id, request.model), host: target.host };
    const fetch = options.fetch ?? this.gateway.fetchFor({ provider: target.egressId, model: request.model, purpose: 'generation' });
    // Our own controller so a broken stream can be torn down without waiting for the socket.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const { params } = request;
    const structured = wantsStructure(params);
    if (structured) {
      checkSchemas(params);
      const gap = this.unsupportedStructure(params);
      if (gap) throw unsupported(`${target.label} (${request.model})`, gap[0], gap[1]);
      metrics.constrained = 'provider';
    }
    const calls = new ToolCallCollector();
    let text = '';
    let firstAt: number | null = null;
    let failure: unknown = null;
    let finishReason: string | undefined;
    let aborted = false;
    let usage: { input?: number; output?: number; cached?: number } = {};
    try {
      const result = streamText({
        model: target.create(fetch),
        messages: toModelMessages(request.messages),
        allowSystemInMessages: true,
        maxRetries: 0,
        abortSignal: controller.signal,
        // The default logs the whole error (request body included) to the console.
        onError: () => undefined,
        temperature: params.temperature,
        topP: params.topP,
        topK: params.topK,
        maxOutputTokens: params.maxTokens,
        stopSequences: params.stop,
        seed: params.seed,
        ...sdkStructure(params),
      });
      for await (const part of result.fullStream) {
        if (part.type === 'text-delta') {
          if (part.text.length === 0) continue;
          firstAt ??= performance.now();
          text += part.text;
          yield { type: 'delta', text: part.text };
        } else if (part.type === 'start-step') {
          const gap = structured ? unsupportedFromWarnings(part.warnings, params, `${target.label} (${request.model})`) : null;
          if (gap) {
            failure = gap;
            break;
          }
        } else if (part.type === 'tool-input-delta') {
          calls.inputDelta(part.id, part.delta);
        } else if (part.type === 'tool-call') {
          firstAt ??= performance.now();
          calls.call(part);
        } else if (part.type === 'error') {
          failure = part.error;
          break;
        } else if (part.type === 'abort') {
          aborted = true;
        } else if (part.type === 'finish-step') {
          metrics.requestId = part.response.id ?? metrics.requestId;
        } else if (part.type === 'finish') {
          finishReason = part.finishReason;
          usage = {
            input: part.totalUsage.inputTokens,
            output: part.totalUsage.outputTokens,
            cached: part.totalUsage.inputTokenDetails?.cacheReadTokens,
          };
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
    if (options.signal?.aborted) aborted = true;

    if (params.tools?.length) metrics.toolCalls = withProblems(calls.calls, params.tools);
    const answered = text.length > 0 || calls.calls.length > 0;
    if (failure !== null && !aborted) {
      let mapped = failure instanceof AppError ? failure : mapProviderError(failure, target, text.length > 0);
      // A server that rejects the structure fields (many OpenAI-compatible ones) is a missing feature, not a broken request.
      if (structured && !answered && STRUCTURE_REJECTED.test(mapped.message) && [400, 422].includes(Number(mapped.details?.status))) {
        mapped = unsupported(`${target.label} (${request.model})`, /tool|function/i.test(mapped.message) ? 'tools' : 'responseFormat', mapped.message);
      }
      if (text.length === 0) throw mapped;
      metrics.error = { code: mapped.code, message: mapped.message };
    } else if (!aborted && text.length > 0 && (finishReason === 'error' || finishReason === 'interrupted' || finishReason === undefined)) {
      // The SDK saw the stream end without the provider's completion signal: never pass that off as a full answer.
      metrics.error = { code: 'PROVIDER_STREAM_BROKEN', message: `The stream from ${target.host} ended before the answer was complete. The partial text is kept.` };
    } else if (!aborted && !answered && (finishReason === 'error' || finishReason === undefined)) {
      throw new AppError('PROVIDER_BAD_RESPONSE', `${target.label} ended the response without any text or completion signal.`, { host: target.host });
    }

    const now = performance.now();
    metrics.totalMs = now - started;
    metrics.ttftMs = firstAt === null ? null : firstAt - started;
    metrics.promptTokens = usage.input ?? null;
    metrics.completionTokens = usage.output ?? null;
    if (firstAt !== null && metrics.completionTokens && now > firstAt) metrics.decodeTokensPerSecond = metrics.completionTokens / ((now - firstAt) / 1000);
    metrics.stopReason = aborted ? 'aborted' : metrics.error ? 'error' : stopReasonOf(finishReason);
    yield { type: 'done', text, metrics, usageDetail: { cachedPromptTokens: usage.cached ?? null } };
  }

  /** GET `<baseUrl>/models` through the gateway (audited as `list-models`). */
  protected async getJson(target: RemoteTarget, path: string, headers: Record<string, string>, signal?: AbortSignal): Promise<unknown> {
    const fetch = this.gateway.fetchFor({ provider: target.egressId, purpose: 'list-models' });
    let res: Response;
    try {
      res = await fetch(`${target.baseUrl}${path}`, { headers, signal });
    } catch (error) {
      throw mapProviderError(error, target);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw new AppError('PROVIDER_AUTH', `${target.label} rejected the key (HTTP ${res.status}). Check the key for ${target.label} in ${target.keyHint}.`, { host: target.host });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new AppError(res.status === 429 ? 'PROVIDER_RATE_LIMITED' : 'PROVIDER_UNAVAILABLE', `${target.label} could not list models (HTTP ${res.status}).`, { host: target.host, status: res.status });
    }
    try {
      return await res.json();
    } catch {
      throw new AppError('PROVIDER_BAD_RESPONSE', `${target.label} sent a model list Parity cannot read.`, { host: target.host });
    }
  }
}
