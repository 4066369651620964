import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';

/** Where in a request a screened string sits, for the audit row (never the string). */
export type RequestArea = 'messages' | 'tools' | 'response-format' | 'stop';

/**
 * One user-controlled string of an outbound request. `name` strings (tool names, the schema name) must match the provider's name rule, so a placeholder cannot stand in for a
 * value there. `counted: false` marks a copy of a string counted elsewhere.
 */
export interface RequestSlot {
  area: RequestArea;
  kind: 'text' | 'name';
  counted: boolean;
}

export type SlotVisitor = (slot: RequestSlot, text: string) => string;

/**
 * Calls `visit` on every string of JSON-like data, object keys included (a schema's property
 * names and an argument's keys go out as written); returns the data with the strings replaced.
 */
function mapJson(value: unknown, area: RequestArea, visit: SlotVisitor): unknown {
  const slot: RequestSlot = { area, kind: 'text', counted: true };
  if (typeof value === 'string') return visit(slot, value);
  if (Array.isArray(value)) return value.map((v) => mapJson(v, area, visit));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [visit(slot, k), mapJson(v, area, visit)]));
  return value;
}

const TEXT: RequestSlot = { area: 'messages', kind: 'text', counted: true };
const NAME: RequestSlot = { area: 'messages', kind: 'name', counted: true };

/**
 * A tool call's id is left as it is: the provider issued it and only pairs a result with its call,
 * and its random-looking handles (`call_…`, `toolu_…`) would trip the secret detector every turn.
 */
function mapMessage(message: ChatMessage, visit: SlotVisitor): ChatMessage {
  const content = visit(TEXT, message.content);
  if (!message.toolCalls) return { ...message, content };
  const toolCalls = message.toolCalls.map((call) => ({
    ...call,
    name: visit(NAME, call.name),
    // The raw text repeats the parsed arguments: kept consistent, counted once.
    rawArguments: visit({ ...TEXT, counted: false }, call.rawArguments),
    arguments: mapJson(call.arguments, 'messages', visit),
    result: mapJson(call.result, 'messages', visit),
  }));
  return { ...message, content, toolCalls };
}

/**
 * The request's fields other than messages that reach the provider: tool names, descriptions and
 * parameter schemas, the response schema and its name, stop sequences. Mock results stay on the
 * device (they come back as tool results, screened with the messages).
 */
function mapParams(params: GenerationParams, visit: SlotVisitor): GenerationParams {
  const slot = (area: RequestArea, kind: RequestSlot['kind'] = 'text', counted = true): RequestSlot => ({ area, kind, counted });
  const out: GenerationParams = { ...params };
  if (params.tools) {
    out.tools = params.tools.map((tool) => ({
      ...tool,
      name: visit(slot('tools', 'name'), tool.name),
      ...(tool.description !== undefined ? { description: visit(slot('tools'), tool.description) } : {}),
      parameters: mapJson(tool.parameters, 'tools', visit) as typeof tool.parameters,
    }));
  }
  // The named tool is one of the tools: its name is counted there.
  if (params.toolChoice && typeof params.toolChoice === 'object') out.toolChoice = { name: visit(slot('tools', 'name', false), params.toolChoice.name) };
  const format = params.responseFormat;
  if (format && typeof format === 'object') {
    out.responseFormat = {
      ...format,
      ...(format.name !== undefined ? { name: visit(slot('response-format', 'name'), format.name) } : {}),
      jsonSchema: mapJson(format.jsonSchema, 'response-format', visit) as typeof format.jsonSchema,
    };
  }
  if (params.stop) out.stop = params.stop.map((s) => visit(slot('stop'), s));
  return out;
}

/**
 * Every user-controlled string of one outbound request, visited in the same order on every call
 * (so a second pass can replace what a first pass found); the request rebuilt from what `visit` returns.
 */
export function mapRequestText(messages: readonly ChatMessage[], params: GenerationParams, visit: SlotVisitor): { messages: ChatMessage[]; params: GenerationParams } {
  return { messages: messages.map((m) => mapMessage(m, visit)), params: mapParams(params, visit) };
}
