import { LlamaGrammar, LlamaJsonSchemaGrammar, type ChatModelFunctions, type GbnfJsonSchema, type Llama, type LlamaChatResponseFunctionCall } from 'node-llama-cpp';
import type { GenerationParams } from '../../../../shared/domain/generation';
import { jsonSchemaOf, toolChoiceName, wantsJson, wantsTools, type JsonSchema, type ToolCall, type ToolDefinition } from '../../../../shared/domain/structured';
import { AppError } from '../../../../shared/errors';
import { checkSchemas } from '../../generation/checkSchemas';

/**
 * How a local generation enforces structure. JSON and forced tool calls are a sampler grammar
 * (the answer cannot be anything else); `toolChoice: auto` uses node-llama-cpp's function calling,
 * whose chat wrapper writes the tools in the model's own format and constrains the arguments once
 * the model starts a call.
 */
export type LocalStructure =
  | { kind: 'text'; constrained: null }
  | { kind: 'json'; grammar: LlamaGrammar; constrained: 'grammar' }
  | { kind: 'forced-tool'; grammar: LlamaGrammar; tools: ToolDefinition[]; constrained: 'grammar' }
  | { kind: 'functions'; functions: ChatModelFunctions; constrained: 'grammar' };

// node-llama-cpp lets a number's exponent run to 16 digits, so `766E396623677629` (JSON.parse → Infinity)
// passes its integer rule. Integers get no exponent at all; other numbers at most two digits.
const INTEGER_RULE = /^(integer-number-rule ::= .*?) \(\[eE\] \[-\+\]\? \("0" \| \[1-9\] \[0-9\]\{0,15\}\)\)\?$/m;
const FRACTIONAL_EXPONENT = /\(\[eE\] \[-\+\]\? \("0" \| \[1-9\] \[0-9\]\{0,15\}\)\)\?/g;
const ANY_JSON_EXPONENT = /\(\[eE\] \[-\+\]\? \[0-9\] \[1-9\]\{0,15\}\)\?/g;
const SHORT_EXPONENT = '([eE] [-+]? [0-9]{1,2})?';

export function finiteNumbers(gbnf: string): string {
  return gbnf.replace(INTEGER_RULE, '$1').replace(FRACTIONAL_EXPONENT, SHORT_EXPONENT).replace(ANY_JSON_EXPONENT, SHORT_EXPONENT);
}

function withFiniteNumbers(llama: Llama, base: LlamaGrammar): LlamaGrammar {
  return new LlamaGrammar(llama, {
    grammar: finiteNumbers(base.grammar),
    stopGenerationTriggers: base.stopGenerationTriggers,
    trimWhitespaceSuffix: base.trimWhitespaceSuffix,
    rootRuleName: base.rootRuleName,
  });
}

/** The JSON a forced call is sampled as: one object naming a tool and giving its arguments. */
export function forcedCallSchema(tools: readonly ToolDefinition[]): JsonSchema {
  const call = (t: ToolDefinition): JsonSchema => ({ type: 'object', properties: { name: { const: t.name }, arguments: t.parameters }, required: ['name', 'arguments'] });
  return tools.length === 1 ? call(tools[0]!) : { oneOf: tools.map(call) };
}

/** Grammars compiled per schema text: compiling is cheap but not free, and evals repeat one schema for every case. */
export class LocalGrammarCache {
  readonly #cache = new Map<string, LlamaGrammar>();
  readonly #limit: number;

  constructor(limit = 32) {
    this.#limit = limit;
  }

  forSchema(llama: Llama, schema: JsonSchema | null): LlamaGrammar {
    const key = schema === null ? '' : JSON.stringify(schema);
    const hit = this.#cache.get(key);
    if (hit) return hit;
    let base: LlamaGrammar;
    try {
      // Any object, through the schema builder rather than llama.cpp's json.gbnf: its whitespace is bounded,
      // where json.gbnf lets a small model pad with newlines until max tokens.
      base = new LlamaJsonSchemaGrammar(llama, (schema ?? { type: 'object', additionalProperties: true }) as never);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', `The JSON Schema cannot be turned into a grammar for a local model: ${error instanceof Error ? error.message : String(error)}`, { field: 'responseFormat' });
    }
    const grammar = withFiniteNumbers(llama, base);
    if (this.#cache.size >= this.#limit) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, grammar);
    return grammar;
  }
}

/** Chooses the mechanism for a request; refuses combinations the local engine cannot enforce together. */
export async function planLocalStructure(llama: Llama, params: GenerationParams, grammars: LocalGrammarCache): Promise<LocalStructure> {
  checkSchemas(params);
  const json = wantsJson(params);
  const tools = wantsTools(params) ? (params.tools ?? []) : [];
  const choice = params.toolChoice ?? 'auto';
  if (tools.length > 0) {
    const named = toolChoiceName(choice);
    if (named !== null || choice === 'required') {
      const offered = named === null ? tools : tools.filter((t) => t.name === named);
      return { kind: 'forced-tool', grammar: grammars.forSchema(llama, forcedCallSchema(offered)), tools: offered, constrained: 'grammar' };
    }
    if (json) {
      throw new AppError(
        'NOT_SUPPORTED',
        'JSON output together with toolChoice "auto" is unsupported by local models (the sampler takes one grammar at a time): set toolChoice to "required" or a tool name, or drop one of the two.',
        { provider: 'local', feature: 'responseFormat+tools' },
      );
    }
    const functions: Record<string, { description?: string; params?: GbnfJsonSchema }> = {};
    for (const t of tools) functions[t.name] = { description: t.description, params: t.parameters as GbnfJsonSchema };
    return { kind: 'functions', functions, constrained: 'grammar' };
  }
  if (json) return { kind: 'json', grammar: grammars.forSchema(llama, jsonSchemaOf(params.responseFormat)), constrained: 'grammar' };
  return { kind: 'text', constrained: null };
}

/** A forced call's sampled JSON → the call; null when the text was cut off (max tokens) before it closed. */
export function forcedToolCall(text: string): ToolCall | null {
  try {
    const value = JSON.parse(text) as { name?: unknown; arguments?: unknown };
    if (typeof value.name !== 'string') return null;
    return { id: null, name: value.name, arguments: value.arguments ?? {}, rawArguments: JSON.stringify(value.arguments ?? {}) };
  } catch {
    return null;
  }
}

export function functionToolCalls(calls: ReadonlyArray<LlamaChatResponseFunctionCall<ChatModelFunctions>> | undefined): ToolCall[] {
  return (calls ?? []).map((c) => ({ id: null, name: c.functionName, arguments: c.params ?? {}, rawArguments: JSON.stringify(c.params ?? {}) }));
}
