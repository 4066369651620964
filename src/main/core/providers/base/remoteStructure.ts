import { jsonSchema, Output, tool, type JSONSchema7, type JSONValue, type ModelMessage, type ToolSet } from 'ai';
import type { ChatMessage, GenerationParams } from '../../../../shared/domain/generation';
import { jsonSchemaOf, toolChoiceName, wantsJson, wantsTools, type ToolCall } from '../../../../shared/domain/structured';
import { AppError } from '../../../../shared/errors';

/** What streamText takes for a structured request; empty for plain text. Tools never get `execute`: Parity runs nothing. */
export interface SdkStructure {
  output?: ReturnType<typeof Output.json> | ReturnType<typeof Output.object>;
  tools?: ToolSet;
  toolChoice?: 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };
}

export function sdkStructure(params: GenerationParams): SdkStructure {
  const out: SdkStructure = {};
  if (wantsJson(params)) {
    const schema = jsonSchemaOf(params.responseFormat);
    const name = typeof params.responseFormat === 'object' ? params.responseFormat.name : undefined;
    out.output = schema === null ? Output.json() : Output.object({ schema: jsonSchema(schema as JSONSchema7), name: name ?? 'response' });
  }
  if ((params.tools?.length ?? 0) > 0) {
    const tools: ToolSet = {};
    for (const t of params.tools ?? []) tools[t.name] = tool({ description: t.description, inputSchema: jsonSchema(t.parameters as JSONSchema7) });
    out.tools = tools;
    const named = toolChoiceName(params.toolChoice);
    out.toolChoice = named !== null ? { type: 'tool', toolName: named } : ((params.toolChoice as 'auto' | 'none' | 'required' | undefined) ?? 'auto');
  }
  return out;
}

/** The SDK's warnings name the request fields (`responseFormat`, `tools`, `toolChoice`) a provider dropped. */
const STRUCTURE_FEATURES = new Set(['responseFormat', 'tools', 'toolChoice']);

/**
 * A provider that silently drops a structure request would answer in plain text as if it had
 * complied: the SDK says so in a warning before the first token, and that becomes NOT_SUPPORTED.
 */
export function unsupportedFromWarnings(warnings: ReadonlyArray<{ type: string; feature?: string; details?: string }>, params: GenerationParams, label: string): AppError | null {
  for (const w of warnings) {
    if (w.type !== 'unsupported' || !w.feature || !STRUCTURE_FEATURES.has(w.feature)) continue;
    if (w.feature === 'responseFormat' && !wantsJson(params)) continue;
    if (w.feature !== 'responseFormat' && !wantsTools(params)) continue;
    return unsupported(label, w.feature, w.details);
  }
  return null;
}

export function unsupported(label: string, feature: string, details?: string): AppError {
  const what = feature === 'responseFormat' ? 'This JSON output mode' : feature === 'toolChoice' ? 'This tool choice' : 'Tool calling';
  return new AppError('NOT_SUPPORTED', `${what} is unsupported by ${label}${details ? ` (${details})` : ''}.`, { provider: label, feature });
}

/** Collects tool calls from the stream: the SDK's parsed input, and the argument text exactly as it streamed. */
export class ToolCallCollector {
  readonly #raw = new Map<string, string>();
  readonly #calls: ToolCall[] = [];

  inputDelta(id: string, delta: string): void {
    this.#raw.set(id, (this.#raw.get(id) ?? '') + delta);
  }

  call(part: { toolCallId: string; toolName: string; input: unknown; invalid?: boolean }): void {
    const streamed = this.#raw.get(part.toolCallId);
    // An invalid call's input is the unparsed text when it was not JSON at all.
    const unparsed = part.invalid === true && typeof part.input === 'string';
    const rawArguments = streamed !== undefined && streamed.length > 0 ? streamed : unparsed ? (part.input as string) : JSON.stringify(part.input ?? {});
    let args: unknown = unparsed ? null : part.input;
    if (streamed) {
      try {
        args = JSON.parse(streamed) as unknown;
      } catch {
        args = null;
      }
    }
    this.#calls.push({ id: part.toolCallId, name: part.toolName, arguments: args, rawArguments });
  }

  get calls(): ToolCall[] {
    return this.#calls;
  }
}

/**
 * Parity's messages in the AI SDK's shape: an assistant turn with tool calls becomes tool-call
 * parts plus a tool message carrying the results, which every provider adapter then writes in its
 * own wire format (OpenAI function_call_output, Anthropic tool_result, Gemini functionResponse).
 */
export function toModelMessages(messages: readonly ChatMessage[]): ModelMessage[] {
  return messages.flatMap((m, i): ModelMessage[] => {
    if (m.role !== 'assistant' || !m.toolCalls?.length) return [{ role: m.role, content: m.content }];
    const ids = m.toolCalls.map((c, j) => c.id ?? `call_${i}_${j}`);
    const calls = m.toolCalls.map((c, j) => ({ type: 'tool-call' as const, toolCallId: ids[j]!, toolName: c.name, input: c.arguments ?? {} }));
    const results = m.toolCalls.map((c, j) => ({
      type: 'tool-result' as const,
      toolCallId: ids[j]!,
      toolName: c.name,
      output: typeof c.result === 'string' ? { type: 'text' as const, value: c.result } : { type: 'json' as const, value: (c.result ?? null) as JSONValue },
    }));
    return [
      { role: 'assistant', content: m.content.length > 0 ? [{ type: 'text', text: m.content }, ...calls] : calls },
      { role: 'tool', content: results },
    ];
  });
}
