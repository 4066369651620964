import type { ChatHistoryItem, ChatModelResponse, ChatWrapper, Token, Tokenizer } from 'node-llama-cpp';
import type { ChatMessage } from '../../../../shared/domain/generation';
import { AppError } from '../../../../shared/errors';

/** The history a local model is given, after the visible rule below was applied. */
export interface PromptWindow {
  history: ChatHistoryItem[];
  /** Tokens of the prompt as the chat template renders it. */
  promptTokens: number;
  /** Those tokens (without function definitions, which LlamaChat adds to the system prompt). */
  tokens: Token[];
  /** Oldest non-system messages left out so the prompt fits (0 when the whole conversation fits). */
  droppedMessages: number;
}

/**
 * Tokens kept free for the answer: node-llama-cpp's LlamaChat compresses the history on its own
 * (silently cutting turns, even the prompt) when less than this is free, so we stay under it.
 * Same formula as its default context-shift size.
 */
export function answerReserve(contextSize: number): number {
  return Math.max(1, Math.floor(contextSize / 10));
}

/** An assistant turn in node-llama-cpp's shape: its text, then its tool calls with their results. */
function modelResponse(m: ChatMessage): ChatModelResponse['response'] {
  const calls = (m.toolCalls ?? []).map((c) => ({ type: 'functionCall' as const, name: c.name, params: c.arguments ?? {}, result: c.result ?? null }));
  return m.content.length > 0 || calls.length === 0 ? [m.content, ...calls] : calls;
}

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system' ? { type: 'system', text: m.content } : m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: modelResponse(m) },
  );
  // The answer being generated is an empty model turn at the end of the history, unless the last turn
  // made tool calls: then the model goes on with that turn, the results in view (as node-llama-cpp's sessions do).
  const last = messages.at(-1);
  if (!(last?.role === 'assistant' && last.toolCalls?.length)) history.push({ type: 'model', response: [] });
  return history;
}

/**
 * The one rule for a conversation longer than the context: the oldest turns go first (system
 * messages and the newest message always stay), and the caller records how many went. A prompt
 * that does not fit even then is refused with PROMPT_TOO_LONG naming both sizes, never cut.
 */
export function fitPromptToContext(
  messages: readonly ChatMessage[],
  options: { chatWrapper: ChatWrapper; tokenizer: Tokenizer; contextSize: number; modelName: string },
): PromptWindow {
  const { chatWrapper, tokenizer, contextSize } = options;
  const budget = contextSize - answerReserve(contextSize);
  const render = (history: ChatHistoryItem[]): Token[] => chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(tokenizer);
  const full = toChatHistory(messages);
  const fullTokens = render(full);
  if (fullTokens.length <= budget) return { history: full, promptTokens: fullTokens.length, tokens: fullTokens, droppedMessages: 0 };

  // Indexes of messages that may be dropped, oldest first: everything but system messages and the newest.
  const droppable = messages.flatMap((m, i) => (m.role !== 'system' && i < messages.length - 1 ? [i] : []));
  const without = (n: number): ChatMessage[] => {
    const gone = new Set(droppable.slice(0, n));
    return messages.filter((_, i) => !gone.has(i));
  };
  // Whole turns only: what remains starts with a user message (or is just the newest message).
  const cuts: number[] = [];
  for (let n = 1; n <= droppable.length; n++) if (n === droppable.length || messages[droppable[n]!]!.role === 'user') cuts.push(n);
  // Fewest drops that fit: a binary search, since every extra drop only shortens the prompt.
  let low = 0;
  let high = cuts.length - 1;
  let best: PromptWindow | null = null;
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const history = toChatHistory(without(cuts[mid]!));
    const tokens = render(history);
    if (tokens.length <= budget) {
      best = { history, promptTokens: tokens.length, tokens, droppedMessages: cuts[mid]! };
      high = mid - 1;
    } else low = mid + 1;
  }
  if (best) return best;

  const minimal = droppable.length > 0 ? render(toChatHistory(without(droppable.length))).length : fullTokens.length;
  throw new AppError(
    'PROMPT_TOO_LONG',
    `The prompt is ${minimal.toLocaleString('en-US')} tokens but ${options.modelName}'s context holds ${contextSize.toLocaleString('en-US')} ` +
      `(${budget.toLocaleString('en-US')} for the prompt, the rest kept for the answer). Shorten the message or system prompt, or raise the context size.`,
    { promptTokens: minimal, contextSize, promptBudget: budget },
  );
}
