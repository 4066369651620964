import type { FakeReply, FakeToolCall } from './FakeProviderServer';

/** How servers cut arguments: mid-token, so a client that parses each delta on its own breaks. */
export function halves(text: string): string[] {
  const mid = Math.ceil(text.length / 2);
  return text.length < 2 ? [text] : [text.slice(0, mid), text.slice(mid)];
}
import { sse, type WireEvent } from './sse';

/** OpenAI Responses API streaming events, in the order the API reference documents. */
export function responsesStream(model: string, reply: FakeReply): WireEvent[] {
  let seq = 0;
  const id = 'resp_fake123';
  const item = 'msg_fake123';
  const full = reply.chunks.join('');
  const base = { id, object: 'response', created_at: 1741290958, model, output: [] as unknown[] };
  const ev = (type: string, rest: Record<string, unknown>, text = false): WireEvent => sse({ type, sequence_number: seq++, ...rest }, type, text);
  return [
    ev('response.created', { response: { ...base, status: 'in_progress', usage: null } }),
    ev('response.in_progress', { response: { ...base, status: 'in_progress', usage: null } }),
    ev('response.output_item.added', { output_index: 0, item: { id: item, type: 'message', status: 'in_progress', role: 'assistant', content: [] } }),
    ev('response.content_part.added', { item_id: item, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
    ...reply.chunks.map((delta) => ev('response.output_text.delta', { item_id: item, output_index: 0, content_index: 0, delta, logprobs: [] }, true)),
    ev('response.output_text.done', { item_id: item, output_index: 0, content_index: 0, text: full, logprobs: [] }),
    ev('response.content_part.done', { item_id: item, output_index: 0, content_index: 0, part: { type: 'output_text', text: full, annotations: [] } }),
    ev('response.output_item.done', {
      output_index: 0,
      item: { id: item, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: full, annotations: [] }] },
    }),
    ...(reply.toolCalls ?? []).flatMap((call, i) => functionCallEvents(call, i + 1, ev)),
    ev('response.completed', {
      response: {
        ...base,
        status: 'completed',
        output: [
          { id: item, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: full, annotations: [] }] },
          ...(reply.toolCalls ?? []).map(functionCallItem),
        ],
        usage: {
          input_tokens: reply.usage.input,
          input_tokens_details: { cached_tokens: reply.usage.cached ?? 0 },
          output_tokens: reply.usage.output,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: reply.usage.input + reply.usage.output,
        },
      },
    }),
  ];
}

function functionCallItem(call: FakeToolCall): Record<string, unknown> {
  return { id: `fc_${call.id}`, type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: call.arguments };
}

/** Responses API function calls: output_item.added (empty arguments), argument deltas, arguments.done, output_item.done. */
function functionCallEvents(call: FakeToolCall, outputIndex: number, ev: (type: string, rest: Record<string, unknown>) => WireEvent): WireEvent[] {
  const itemId = `fc_${call.id}`;
  return [
    ev('response.output_item.added', { output_index: outputIndex, item: { ...functionCallItem(call), status: 'in_progress', arguments: '' } }),
    ...halves(call.arguments).map((delta) => ev('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta })),
    ev('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: call.arguments }),
    ev('response.output_item.done', { output_index: outputIndex, item: functionCallItem(call) }),
  ];
}

/** Chat Completions SSE with `stream_options.include_usage`: the usage arrives in a final chunk with empty choices. */
export function chatCompletionsStream(model: string, reply: FakeReply, omitUsage = false): WireEvent[] {
  const head = { id: 'chatcmpl-fake123', object: 'chat.completion.chunk', created: 1741290958, model, system_fingerprint: 'fp_fake' };
  return [
    sse({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }),
    ...reply.chunks.map((content) => sse({ ...head, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] }, undefined, true)),
    // Tool calls: the first delta of each carries id, type and name with empty arguments; later ones only argument pieces.
    ...(reply.toolCalls ?? []).flatMap((call, index) => [
      sse({ ...head, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, logprobs: null, finish_reason: null }] }),
      ...halves(call.arguments).map((piece) => sse({ ...head, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] }, logprobs: null, finish_reason: null }] })),
    ]),
    sse({ ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: reply.toolCalls?.length ? 'tool_calls' : 'stop' }] }),
    ...(omitUsage
      ? []
      : [
          sse({
            ...head,
            choices: [],
            usage: {
              prompt_tokens: reply.usage.input,
              completion_tokens: reply.usage.output,
              total_tokens: reply.usage.input + reply.usage.output,
              prompt_tokens_details: { cached_tokens: reply.usage.cached ?? 0 },
            },
          }),
        ]),
    sse('[DONE]'),
  ];
}

/** OpenAI's real error bodies (shape and wording from its API reference and live responses). */
export function openaiError(kind: string, model: string, key?: string | null): { status: number; body: unknown } {
  const err = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });
  switch (kind) {
    case 'auth':
      return {
        status: 401,
        body: err(`Incorrect API key provided: ${key ? 'sk-wr****' : ''}wxyz. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'),
      };
    case 'model':
      return { status: 404, body: err(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') };
    case '429':
      return { status: 429, body: err(`Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, 'requests', 'rate_limit_exceeded') };
    case '503':
      return { status: 503, body: err('The engine is currently overloaded, please try again later', 'server_error', null) };
    default:
      return { status: 500, body: err('The server had an error while processing your request. Sorry about that!', 'server_error', null) };
  }
}
