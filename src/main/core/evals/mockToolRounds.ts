import type { ChatMessage, GenerationMetrics, GenerationParams } from '../../../shared/domain/generation';
import { afterToolResults, mockResultFor, type AnsweredToolCall } from '../../../shared/domain/structured';
import type { StreamEvent } from '../providers/ModelProvider';

export { mockResultFor };

/** Tool calls answered from mocks, then the model goes on; a few rounds at most, as a loop could run forever. */
export const MAX_TOOL_ROUNDS = 4;

function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** One answer over several rounds: its usage and cost add up, and every round's tool calls are kept. */
function merge(previous: GenerationMetrics, next: GenerationMetrics): GenerationMetrics {
  return {
    ...next,
    promptTokens: sum(previous.promptTokens, next.promptTokens),
    completionTokens: sum(previous.completionTokens, next.completionTokens),
    totalMs: previous.totalMs + next.totalMs,
    costUsd: sum(previous.costUsd, next.costUsd),
    usageEstimated: previous.usageEstimated || next.usageEstimated,
    toolCalls: [...(previous.toolCalls ?? []), ...(next.toolCalls ?? [])],
  };
}

/**
 * Generates, and while the model calls tools that all have a mock result, gives it the results and
 * lets it continue. The text is the last round's (the answer after the tools); the metrics hold
 * every round's calls in order. Throws what the first round throws; a later failure ends the loop
 * with what the earlier rounds produced.
 */
export async function generateWithMockTools(
  stream: (messages: ChatMessage[], params: GenerationParams) => AsyncIterable<StreamEvent>,
  messages: ChatMessage[],
  params: GenerationParams,
  caseMocks: Record<string, unknown> | undefined,
): Promise<{ text: string; metrics: GenerationMetrics | null }> {
  let conversation = messages;
  let text = '';
  let metrics: GenerationMetrics | null = null;
  for (let round = 0; round < MAX_TOOL_ROUNDS; round++) {
    let done: Extract<StreamEvent, { type: 'done' }> | null = null;
    try {
      for await (const event of stream(conversation, round > 0 ? afterToolResults(params) : params)) if (event.type === 'done') done = event;
    } catch (error) {
      if (round === 0) throw error;
      break;
    }
    if (!done) break;
    text = done.text;
    metrics = metrics ? merge(metrics, done.metrics) : done.metrics;
    const calls = done.metrics.toolCalls ?? [];
    if (calls.length === 0 || done.metrics.error || done.metrics.stopReason === 'aborted') break;
    const answered: AnsweredToolCall[] = [];
    for (const call of calls) {
      const mock = mockResultFor(call, caseMocks, params.tools);
      if (!mock.found) return { text, metrics };
      answered.push({ ...call, result: mock.result });
    }
    conversation = [...conversation, { role: 'assistant', content: done.text, toolCalls: answered }];
  }
  return { text, metrics };
}
