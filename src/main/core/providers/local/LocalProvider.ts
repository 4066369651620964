import { LlamaChat, type LlamaCompletion, type ChatModelFunctions, type LlamaGrammar, type LlamaChatResponse } from 'node-llama-cpp';
import { emptyMetrics, type GenerationMetrics, type SamplingParams, type StopReason } from '../../../../shared/domain/generation';
import { AppError, toErrorPayload } from '../../../../shared/errors';
import type { LlamaEngine } from '../../engine/LlamaEngine';
import type { LocalModelResolver } from '../../models/LocalModelResolver';
import type { ModelProvider, ProviderCapabilities, ProviderModelInfo, StreamEvent, StreamOptions, StreamRequest } from '../ModelProvider';
import { withProblems } from '../../generation/toolCallProblem';
import { LocalGrammarCache, forcedToolCall, functionToolCalls, planLocalStructure } from './localStructure';
import { fitPromptToContext } from './promptWindow';
import { renderChatPrompt, startRenderedCompletion } from './renderedCompletion';
import { readRecommendedSampling } from './recommendedSampling';

export interface LocalProviderOptions {
  engine: LlamaEngine;
  resolver: LocalModelResolver;
  /** The `defaultThreads` setting, read per request. */
  defaultThreads: () => number;
  /** Progress of a model load a generation had to wait for (0..1); the app forwards it as engine.loadProgress. */
  onLoadProgress?: (modelId: string, progress: number) => void;
  /** Lists the library's models (ModelLibrary); absent until the library exists. */
  listModels?: () => Promise<ProviderModelInfo[]>;
}

/** What either generation path returns, in LlamaChat's terms. */
interface Generated {
  response: string;
  stopReason: string;
  contextShifted: boolean;
  functionCalls?: LlamaChatResponse<ChatModelFunctions>['functionCalls'];
}

type Outcome = { ok: true; response: Generated } | { ok: false; error: unknown };

const STOP_REASONS: Record<string, StopReason> = {
  eogToken: 'eos',
  stopGenerationTrigger: 'eos',
  maxTokens: 'max-tokens',
  abort: 'aborted',
  customStopTrigger: 'stop-sequence',
  functionCalls: 'other',
};

export { toChatHistory } from './promptWindow';

/**
 * GGUF models on this device through the shared LlamaEngine. Nothing leaves the machine. The
 * streaming loop is deliberately thin (a queue of text chunks, no per-token allocation beyond
 * the chunk) because the local-decode benchmark holds it to bare node-llama-cpp speed.
 */
export class LocalProvider implements ModelProvider {
  readonly id = 'local';
  readonly capabilities: ProviderCapabilities = { local: true, streaming: true, listModels: true, seed: true, defaultConcurrency: 1 };
  readonly #options: LocalProviderOptions;
  /** By file path: a GGUF's header does not change under the same path while it is in the library. */
  readonly #recommended = new Map<string, Promise<SamplingParams | null>>();
  readonly #grammars = new LocalGrammarCache();

  constructor(options: LocalProviderOptions) {
    this.#options = options;
  }

  async listModels(): Promise<ProviderModelInfo[]> {
    return (await this.#options.listModels?.()) ?? [];
  }

  destination(): string | null {
    return null;
  }

  async recommendedSampling(model: string, options: { signal?: AbortSignal } = {}): Promise<SamplingParams | null> {
    const info = await this.#options.resolver.resolve(model, { signal: options.signal });
    let pending = this.#recommended.get(info.path);
    if (!pending) {
      pending = readRecommendedSampling(info.path);
      this.#recommended.set(info.path, pending);
      // A failed read is retried next time rather than remembered.
      pending.catch(() => this.#recommended.delete(info.path));
    }
    return pending;
  }

  async *stream(request: StreamRequest, options: StreamOptions = {}): AsyncGenerator<StreamEvent> {
    const { params } = request;
    const started = performance.now();
    const outer = options.signal;
    const info = await this.#options.resolver.resolve(request.model, { signal: outer });
    const threads = params.threads ?? this.#options.defaultThreads();
    const metrics: GenerationMetrics = { ...emptyMetrics(this.id, request.model), threads, modelSha256: info.sha256 };
    if (outer?.aborted) {
      yield { type: 'done', text: '', metrics: { ...metrics, stopReason: 'aborted', totalMs: performance.now() - started } };
      return;
    }
    const { loaded, loadMs } = await this.#options.engine.load(info, {
      gpuLayers: params.gpuLayers,
      signal: outer,
      onLoadProgress: this.#options.onLoadProgress ? (p) => this.#options.onLoadProgress?.(info.id, p) : undefined,
    });
    // The prompt is rendered before a sequence is chosen: the engine prefers one already holding its start.
    const contextSize = params.contextSize ?? loaded.defaultContextSize();
    const chatWrapper = loaded.chatWrapper(params.chatTemplate);
    const fitted = fitPromptToContext(request.messages, { chatWrapper, tokenizer: loaded.model.tokenizer, contextSize, modelName: info.name });
    metrics.droppedMessages = fitted.droppedMessages;
    const structure = await planLocalStructure(loaded.model.llama, params, this.#grammars);
    metrics.constrained = structure.constrained;
    // An eval cell is one independent answer: when a completion of the same rendered prompt reads the answer
    // as LlamaChat would, it skips LlamaChat's per-token work (see renderedCompletion.ts).
    const rendered = options.oneShot && structure.kind !== 'functions' ? renderChatPrompt(chatWrapper, fitted.history, loaded.model) : null;
    const prompt =
      rendered?.tokens ??
      (structure.kind === 'functions'
        ? chatWrapper.generateContextState({ chatHistory: fitted.history, availableFunctions: structure.functions }).contextText.tokenize(loaded.model.tokenizer)
        : fitted.tokens);
    // Given back when this generator ends, however it ends (after the finally below has stopped the model).
    using lease = await this.#options.engine.acquire(info, {
      threads,
      contextSize,
      gpuLayers: params.gpuLayers,
      sequences: options.sequences,
      fresh: options.oneShot,
      prompt,
      signal: outer,
      onLoadProgress: this.#options.onLoadProgress ? (p) => this.#options.onLoadProgress?.(info.id, p) : undefined,
    });
    // Our own controller so that a consumer that stops iterating also stops the model.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    let chat: LlamaChat | null = null;
    let completion: LlamaCompletion | null = null;
    let outcome: Promise<Outcome> | null = null;
    try {
      // A forced call streams as its JSON wrapper; the caller gets the parsed call, not that text.
      const streamText = structure.kind !== 'forced-tool';
      const enforcement: { grammar: LlamaGrammar } | { functions: ChatModelFunctions } | { grammar?: undefined } =
        structure.kind === 'functions' ? { functions: structure.functions } : structure.kind === 'text' ? {} : { grammar: structure.grammar };
      // Normally 0 for the lease: the model was loaded above, unless it was unloaded in between.
      metrics.loadMs = loadMs + lease.loadMs;
      metrics.gpuLayers = lease.loaded.model.gpuLayers;
      metrics.backend = await this.#options.engine.backend();
      const meterBefore = lease.sequence.tokenMeter.getState();

      const queue: string[] = [];
      let wake: (() => void) | null = null;
      let finished = false;
      let firstAt: number | null = null;
      // Snapshot at the first sampled token: what the meter counted until then is the prompt evaluated
      // for this message. Later counts include tokens merely moved in the cache by a context shift.
      let promptDone: { at: number; evaluated: number } | null = null;
      const genStart = performance.now();
      const maxTokens = params.maxTokens ?? lease.sequence.contextSize;
      const onToken = (): void => {
        if (promptDone) return;
        const sofar = lease.sequence.tokenMeter.diff(meterBefore);
        // The prompt's last token is evaluated with logits, which the meter counts as output.
        promptDone = { at: performance.now(), evaluated: sofar.usedInputTokens + Math.min(1, sofar.usedOutputTokens) };
      };
      const onTextChunk = (text: string): void => {
        if (firstAt === null) firstAt = performance.now();
        if (!streamText) return;
        queue.push(text);
        const w = wake;
        wake = null;
        w?.();
      };
      const repeatPenalty = params.repeatPenalty === undefined ? undefined : { penalty: params.repeatPenalty };
      const fast = rendered
        ? startRenderedCompletion(
            lease.sequence,
            rendered,
            { maxTokens, temperature: params.temperature, topP: params.topP, topK: params.topK, minP: params.minP, seed: params.seed, repeatPenalty, stop: params.stop, grammar: 'grammar' in enforcement ? enforcement.grammar : undefined },
            { signal: controller.signal, onToken, onTextChunk },
          )
        : null;
      let generating: Promise<Generated>;
      if (fast) {
        completion = fast.completion;
        generating = fast.result.then((r) => ({ response: r.response, stopReason: r.stopReason, contextShifted: false }));
      } else {
        chat = new LlamaChat({ contextSequence: lease.sequence, chatWrapper, autoDisposeSequence: false });
        generating = chat
          .generateResponse<ChatModelFunctions>(fitted.history, {
            signal: controller.signal,
            stopOnAbortSignal: true,
            // Callers apply DEFAULT_MAX_TOKENS; this is only the backstop for a direct call without one:
            // a model that never emits EOS would otherwise shift its context forever.
            maxTokens,
            temperature: params.temperature,
            topP: params.topP,
            topK: params.topK,
            minP: params.minP,
            seed: params.seed,
            repeatPenalty,
            customStopTriggers: params.stop && params.stop.length > 0 ? params.stop : undefined,
            ...enforcement,
            onToken,
            onTextChunk,
          })
          // node-llama-cpp compresses the history (and returns what it did) only when the context filled.
          .then((r) => ({ response: r.response, stopReason: r.metadata.stopReason, contextShifted: r.lastEvaluation.contextShiftMetadata != null, functionCalls: r.functionCalls }));
      }
      outcome = generating
        .then(
          (response): Outcome => ({ ok: true, response }),
          (error: unknown): Outcome => ({ ok: false, error }),
        )
        .finally(() => {
          finished = true;
          const w = wake;
          wake = null;
          w?.();
        });

      let text = '';
      for (;;) {
        if (queue.length > 0) {
          const chunk = queue.length === 1 ? queue[0]! : queue.join('');
          queue.length = 0;
          text += chunk;
          yield { type: 'delta', text: chunk };
          continue;
        }
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const result = await outcome;
      const ended = performance.now();
      const used = lease.sequence.tokenMeter.diff(meterBefore);
      metrics.totalMs = ended - started;
      metrics.completionTokens = used.usedOutputTokens;
      const prompt = promptDone as { at: number; evaluated: number } | null;
      const evaluated = prompt ? prompt.evaluated : used.usedInputTokens;
      metrics.promptTokens = evaluated;
      metrics.promptTokensCached = Math.max(0, fitted.promptTokens - evaluated);
      if (prompt) {
        const promptMs = prompt.at - genStart;
        metrics.promptTokensPerSecond = promptMs > 0 && evaluated > 0 ? (evaluated / promptMs) * 1000 : null;
      }
      if (firstAt !== null) {
        const ttft = firstAt - genStart;
        metrics.ttftMs = ttft;
        const decodeMs = ended - firstAt;
        metrics.decodeTokensPerSecond = used.usedOutputTokens > 1 && decodeMs > 0 ? ((used.usedOutputTokens - 1) / decodeMs) * 1000 : null;
      }
      metrics.contextShifted = result.ok ? result.response.contextShifted : null;
      if (result.ok) {
        metrics.stopReason = controller.signal.aborted ? 'aborted' : (STOP_REASONS[result.response.stopReason] ?? 'other');
        let answer = result.response.response || text;
        if (structure.kind === 'functions') metrics.toolCalls = withProblems(functionToolCalls(result.response.functionCalls), params.tools);
        if (structure.kind === 'forced-tool') {
          const call = forcedToolCall(answer);
          metrics.toolCalls = call ? withProblems([call], params.tools) : [];
          // Cut off before the call closed: the raw text is all there is, so it stays visible.
          if (call) answer = '';
        }
        yield { type: 'done', text: answer, metrics };
      } else if (controller.signal.aborted) {
        metrics.stopReason = 'aborted';
        yield { type: 'done', text, metrics };
      } else if (text.length === 0) {
        throw toAppError(result.error, info.name);
      } else {
        metrics.stopReason = 'error';
        const payload = toErrorPayload(result.error);
        metrics.error = { code: payload.code, message: payload.message };
        yield { type: 'done', text, metrics };
      }
    } finally {
      outer?.removeEventListener('abort', onAbort);
      if (outcome) {
        controller.abort();
        await outcome;
      }
      chat?.dispose({ disposeSequence: false });
      completion?.dispose({ disposeSequence: false });
    }
  }
}

function toAppError(error: unknown, modelName: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('MODEL_LOAD_FAILED', `${modelName} failed to generate: ${message}`, { reason: message }, { cause: error });
}
