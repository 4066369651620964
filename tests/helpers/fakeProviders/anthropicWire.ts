import type { FakeReply } from './FakeProviderServer';
import { halves } from './openaiWire';
import { sse, type WireEvent } from './sse';

/** Anthropic Messages streaming: message_start, content_block_*, message_delta (usage), message_stop. */
export function anthropicStream(model: string, reply: FakeReply): WireEvent[] {
  return [
    sse(
      {
        type: 'message_start',
        message: {
          id: 'msg_fake123',
          type: 'message',
          role: 'assistant',
          content: [],
          model,
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: reply.usage.input, cache_creation_input_tokens: 0, cache_read_input_tokens: reply.usage.cached ?? 0, output_tokens: 1 },
        },
      },
      'message_start',
    ),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    sse({ type: 'ping' }, 'ping'),
    ...reply.chunks.map((text) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta', true)),
    sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    // tool_use blocks start with an empty input; the input arrives as input_json_delta pieces.
    ...(reply.toolCalls ?? []).flatMap((call, i) => [
      sse({ type: 'content_block_start', index: i + 1, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } }, 'content_block_start'),
      ...halves(call.arguments).map((partial_json) => sse({ type: 'content_block_delta', index: i + 1, delta: { type: 'input_json_delta', partial_json } }, 'content_block_delta')),
      sse({ type: 'content_block_stop', index: i + 1 }, 'content_block_stop'),
    ]),
    sse({ type: 'message_delta', delta: { stop_reason: reply.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: reply.usage.output } }, 'message_delta'),
    sse({ type: 'message_stop' }, 'message_stop'),
  ];
}

export function anthropicError(kind: string, model: string): { status: number; body: unknown } {
  const err = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_fake_err' });
  switch (kind) {
    case 'auth':
      return { status: 401, body: err('authentication_error', 'invalid x-api-key') };
    case 'model':
      return { status: 404, body: err('not_found_error', `model: ${model}`) };
    case '429':
      return { status: 429, body: err('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit') };
    case '503':
      return { status: 529, body: err('overloaded_error', 'Overloaded') };
    default:
      return { status: 500, body: err('api_error', 'Internal server error') };
  }
}
