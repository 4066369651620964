import { GenerationParamsSchema, type GenerationParams } from '../../../shared/domain/generation';
import type { AnsweredToolCall, ToolCall } from '../../../shared/domain/structured';
import { badRequest } from './openAiErrors';
import type { ChatRequestMessage } from './openAiSchemas';

/** Our field path → the request parameter a client wrote, so a 400 names what to fix. */
function openAiPath(path: ReadonlyArray<PropertyKey>): string {
  const [head, ...rest] = path.map(String);
  if (head === 'responseFormat') return ['response_format', ...rest.map((p) => (p === 'jsonSchema' ? 'json_schema.schema' : p))].join('.');
  if (head === 'tools') return ['tools', ...rest.map((p, i) => (i === 0 ? p : p === 'parameters' || p === 'name' || p === 'description' ? `function.${p}` : p))].join('.');
  if (head === 'toolChoice') return 'tool_choice';
  return path.map(String).join('.');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * OpenAI's `response_format`, `tools` and `tool_choice` → the request fields every Parity model
 * takes (a local model then samples under a grammar). A shape we cannot read is a 400 naming it.
 */
export function structuredFromOpenAi(body: Record<string, unknown>): Partial<GenerationParams> {
  const raw: Record<string, unknown> = {};
  const format = body.response_format;
  if (format !== undefined && format !== null) {
    const type = isObject(format) ? format.type : undefined;
    if (type === 'json_object') raw.responseFormat = 'json';
    else if (type === 'json_schema' && isObject(format) && isObject(format.json_schema)) {
      const js = format.json_schema;
      raw.responseFormat = { jsonSchema: js.schema ?? {}, ...(typeof js.name === 'string' ? { name: js.name } : {}) };
    } else if (type !== 'text') {
      throw badRequest('`response_format` must be {"type": "text"}, {"type": "json_object"} or {"type": "json_schema", "json_schema": {"name", "schema"}}.', 'response_format');
    }
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw badRequest('`tools` must be a list of {"type": "function", "function": {...}}.', 'tools');
    raw.tools = body.tools.map((t, i) => {
      if (!isObject(t) || t.type !== 'function' || !isObject(t.function)) throw badRequest(`\`tools[${i}]\` must be {"type": "function", "function": {"name", "parameters"}}.`, `tools[${i}]`);
      const f = t.function;
      return { name: f.name, ...(f.description !== undefined ? { description: f.description } : {}), ...(f.parameters !== undefined ? { parameters: f.parameters } : {}) };
    });
  }
  const choice = body.tool_choice;
  if (choice !== undefined && choice !== null) {
    if (choice === 'auto' || choice === 'none' || choice === 'required') raw.toolChoice = choice;
    else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') raw.toolChoice = { name: choice.function.name };
    else throw badRequest('`tool_choice` must be "auto", "none", "required" or {"type": "function", "function": {"name"}}.', 'tool_choice');
  }
  const parsed = GenerationParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = openAiPath(issue.path);
    throw badRequest(`Invalid \`${param}\`: ${issue.message}`, param);
  }
  return parsed.data;
}

/** Tool calls in OpenAI's message shape: arguments as the JSON text the model wrote. */
export function openAiToolCalls(calls: readonly ToolCall[]): Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> {
  return calls.map((c, i) => ({ id: c.id ?? `call_${i}`, type: 'function', function: { name: c.name, arguments: c.rawArguments } }));
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * OpenAI's tool exchange (an assistant message with `tool_calls`, then one `tool` message per call
 * with its `tool_call_id`) → the assistant turn with each call's result, keyed by that message's
 * index; the tool messages themselves drop out. A call without its result, or a tool message that
 * answers no call, is a 400 naming it.
 */
export function foldToolMessages(messages: readonly ChatRequestMessage[]): { rest: Array<{ message: ChatRequestMessage; index: number }>; calls: Map<number, AnsweredToolCall[]> } {
  const rest: Array<{ message: ChatRequestMessage; index: number }> = [];
  const calls = new Map<number, AnsweredToolCall[]>();
  let open: { index: number; byId: Map<string, AnsweredToolCall> } | null = null;
  const close = (): void => {
    if (!open) return;
    const missing = [...open.byId.entries()].find(([, c]) => c.result === undefined);
    if (missing) throw badRequest(`\`messages[${open.index}].tool_calls\` call "${missing[0]}" has no tool message with its result.`, `messages[${open.index}].tool_calls`);
    open = null;
  };
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      const id = typeof m.tool_call_id === 'string' ? m.tool_call_id : '';
      const target = open?.byId.get(id);
      if (!target) throw badRequest(`\`messages[${i}]\` answers tool call "${id}", which the assistant message before it did not make.`, `messages[${i}].tool_call_id`);
      const content = typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p) => (typeof p.text === 'string' ? p.text : '')).join('') : '';
      target.result = parsedOrNull(content) ?? content;
      return;
    }
    close();
    rest.push({ message: m, index: i });
    if (m.role !== 'assistant' || !Array.isArray(m.tool_calls) || m.tool_calls.length === 0) return;
    const list: AnsweredToolCall[] = m.tool_calls.map((tc: unknown, j: number) => {
      const t = (tc ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
      if (typeof t.id !== 'string' || typeof t.function?.name !== 'string') throw badRequest(`\`messages[${i}].tool_calls[${j}]\` needs an id and a function name.`, `messages[${i}].tool_calls[${j}]`);
      const raw = typeof t.function.arguments === 'string' ? t.function.arguments : '{}';
      return { id: t.id, name: t.function.name, arguments: parsedOrNull(raw), rawArguments: raw, result: undefined };
    });
    calls.set(i, list);
    open = { index: i, byId: new Map(list.map((c) => [c.id!, c])) };
  });
  close();
  return { rest, calls };
}
