import { LlamaCompletion, LlamaVocabularyType, type ChatHistoryItem, type ChatWrapper, type LlamaContextSequence, type LlamaGrammar, type LlamaModel, type LlamaText, type Token } from 'node-llama-cpp';

/**
 * A chat prompt rendered once by the chat template, exactly as LlamaChat would send it, for a
 * plain completion. Eval cells are one-shot generations: LlamaChat's per-token work (segments,
 * prefix triggers, function-call detection) buys them nothing, and with eight sequences decoding
 * in one batch that work sits on the main thread between every batch.
 */
export interface RenderedChatPrompt {
  /** The tokens LlamaChat evaluates for this history: chat template applied, BOS included. */
  tokens: Token[];
  /** The template's end-of-turn texts; LlamaChat stops on them as well as on the model's EOG token. */
  stopTriggers: LlamaText[];
}

/** The token LlamaCompletion puts before its input (node-llama-cpp's resolveBeginningTokenToPrepend). */
export function completionPrefixToken(model: LlamaModel): Token | null {
  const type = model.vocabularyType;
  if (type === LlamaVocabularyType.rwkv || type === LlamaVocabularyType.ugm) return null;
  if (type === LlamaVocabularyType.wpm) return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

/**
 * The prompt for `history`, or null when a completion would not behave as LlamaChat does: a template
 * with thought or comment segments, prefix triggers, text to ignore at the start or an initially
 * engaged function call changes how the answer is read, so those keep going through LlamaChat.
 */
export function renderChatPrompt(chatWrapper: ChatWrapper, history: ChatHistoryItem[], model: LlamaModel): RenderedChatPrompt | null {
  const segments = chatWrapper.settings.segments;
  if (segments?.thought || segments?.comment) return null;
  // LlamaChat calls generateContextState with these same options for a first evaluation without functions.
  const state = chatWrapper.generateContextState({ chatHistory: history, availableFunctions: undefined, documentFunctionParams: undefined });
  const extra = state as { prefixTriggers?: unknown[]; noPrefixTrigger?: unknown; rerender?: unknown; ignoreStartText?: unknown[]; functionCall?: unknown };
  if ((extra.prefixTriggers?.length ?? 0) > 0 || extra.noPrefixTrigger != null || extra.rerender != null || (extra.ignoreStartText?.length ?? 0) > 0 || extra.functionCall != null) return null;
  return { tokens: state.contextText.tokenize(model.tokenizer), stopTriggers: state.stopGenerationTriggers };
}

/** Sampling as LocalProvider gives it to LlamaChat; passed through unchanged. */
export interface CompletionSampling {
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  repeatPenalty?: { penalty: number };
  /** The user's stop sequences (params.stop). */
  stop?: string[];
  grammar?: LlamaGrammar;
}

export interface CompletionCallbacks {
  signal: AbortSignal;
  onToken: () => void;
  onTextChunk: (text: string) => void;
}

/** LlamaChat's stop reasons, so the caller maps both paths with one table. */
export interface CompletionResult {
  response: string;
  stopReason: 'eogToken' | 'stopGenerationTrigger' | 'customStopTrigger' | 'maxTokens' | 'abort';
}

/**
 * Generates on `sequence` from the rendered prompt. Returns null (nothing evaluated) when the
 * completion could not send exactly `prompt.tokens`: its BOS rule differs from the template's,
 * or prompt plus answer could outgrow the context (LlamaChat and LlamaCompletion shift it differently).
 */
export function startRenderedCompletion(
  sequence: LlamaContextSequence,
  prompt: RenderedChatPrompt,
  sampling: CompletionSampling,
  callbacks: CompletionCallbacks,
): { completion: LlamaCompletion; result: Promise<CompletionResult> } | null {
  const model = sequence.model;
  const prefix = completionPrefixToken(model);
  if (prefix !== null && prompt.tokens[0] !== prefix) return null;
  if (prompt.tokens.length + sampling.maxTokens >= sequence.contextSize - 1) return null;
  // LlamaCompletion puts `prefix` back in front: what it evaluates is prompt.tokens, token for token.
  const input = prefix === null ? prompt.tokens : prompt.tokens.slice(1);
  const userStops = sampling.stop ?? [];
  const completion = new LlamaCompletion({ contextSequence: sequence });
  const result = completion
    .generateCompletionWithMeta(input, {
      signal: callbacks.signal,
      stopOnAbortSignal: true,
      maxTokens: sampling.maxTokens,
      temperature: sampling.temperature,
      topP: sampling.topP,
      topK: sampling.topK,
      minP: sampling.minP,
      seed: sampling.seed,
      repeatPenalty: sampling.repeatPenalty,
      grammar: sampling.grammar,
      customStopTriggers: [...prompt.stopTriggers, ...userStops],
      onToken: callbacks.onToken,
      onTextChunk: callbacks.onTextChunk,
    })
    .then(({ response, metadata }): CompletionResult => {
      if (metadata.stopReason !== 'customStopTrigger') return { response, stopReason: metadata.stopReason };
      // Both kinds of trigger went in as custom ones; a user's stop sequence is plain text, a template's
      // end of turn is usually a special token. Text that is both counts as the user's.
      const fired = metadata.customStopTrigger;
      const byUser = fired.every((part) => typeof part === 'string') && userStops.includes(fired.join(''));
      return { response, stopReason: byUser ? 'customStopTrigger' : 'stopGenerationTrigger' };
    });
  return { completion, result };
}
