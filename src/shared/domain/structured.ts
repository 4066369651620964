import { z } from 'zod';

/**
 * Structured output and tool calls: the part of a generation request that asks for JSON or for
 * tool calls instead of free text. The same shape for every model; each provider enforces it its
 * own way (a sampler grammar locally, the provider's native feature remotely) and says which.
 */

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;

export type JsonSchema = { [key: string]: unknown };

const nonNegativeInt = z.number().int().min(0);

/**
 * Checks the keywords whose shape JSON Schema fixes (a misspelt `type`, `required` that is not a
 * list, a property that is not a schema) and lets every other keyword through, so a schema from
 * any draft or provider passes. A zod issue's path points at the offending keyword.
 */
export const JsonSchemaSchema: z.ZodType<JsonSchema> = z.lazy(() =>
  z
    .object({
      type: z.union([z.enum(JSON_TYPES), z.array(z.enum(JSON_TYPES)).min(1)]).optional(),
      properties: z.record(z.string(), JsonSchemaSchema).optional(),
      required: z.array(z.string()).optional(),
      items: z.union([JsonSchemaSchema, z.array(JsonSchemaSchema)]).optional(),
      prefixItems: z.array(JsonSchemaSchema).optional(),
      additionalProperties: z.union([z.boolean(), JsonSchemaSchema]).optional(),
      enum: z.array(z.unknown()).min(1).optional(),
      anyOf: z.array(JsonSchemaSchema).min(1).optional(),
      oneOf: z.array(JsonSchemaSchema).min(1).optional(),
      allOf: z.array(JsonSchemaSchema).min(1).optional(),
      not: JsonSchemaSchema.optional(),
      $defs: z.record(z.string(), JsonSchemaSchema).optional(),
      definitions: z.record(z.string(), JsonSchemaSchema).optional(),
      $ref: z.string().optional(),
      minLength: nonNegativeInt.optional(),
      maxLength: nonNegativeInt.optional(),
      minItems: nonNegativeInt.optional(),
      maxItems: nonNegativeInt.optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      pattern: z.string().optional(),
      description: z.string().optional(),
    })
    .catchall(z.unknown()),
);

const ResponseFormatObjectSchema = z.object({
  jsonSchema: JsonSchemaSchema,
  /** Some providers want a name for the schema (OpenAI's `json_schema.name`). */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only, at most 64').optional(),
});
export type ResponseFormat = 'text' | 'json' | z.infer<typeof ResponseFormatObjectSchema>;

/**
 * `text` (the default), any JSON object, or JSON that follows a schema. Not a z.union: a union
 * reports "Invalid input" at its own path, and a user needs the path inside the schema.
 */
export const ResponseFormatSchema = z.unknown().superRefine((value, ctx) => {
  if (value === 'text' || value === 'json') return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be "text", "json" or { jsonSchema: {...} }' });
    return;
  }
  const parsed = ResponseFormatObjectSchema.safeParse(value);
  if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}) as unknown as z.ZodType<ResponseFormat>;

export const ToolDefinitionSchema = z.object({
  /** The names every provider accepts (OpenAI's rule is the strictest). */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1-64 letters, digits, _ or -'),
  description: z.string().max(4096).optional(),
  /** JSON Schema of the arguments object. */
  parameters: JsonSchemaSchema.default({ type: 'object', properties: {} }),
  /**
   * Fixed answers to give the model when it calls this tool (by argument match, else the first):
   * Parity never runs a tool, it only answers with what the user wrote.
   */
  mockResults: z.array(z.object({ when: z.record(z.string(), z.unknown()).optional(), result: z.unknown() })).max(64).optional(),
});
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;

export const ToolChoiceSchema = z.union([z.enum(['auto', 'none', 'required']), z.object({ name: z.string().min(1) })]);
export type ToolChoice = z.infer<typeof ToolChoiceSchema>;

/** The request fields; GenerationParams carries them, so chat, compare, evals and the API all can. */
export const StructuredParamsSchema = z.object({
  responseFormat: ResponseFormatSchema.optional(),
  tools: z.array(ToolDefinitionSchema).max(128).optional(),
  toolChoice: ToolChoiceSchema.optional(),
});
export type StructuredParams = z.infer<typeof StructuredParamsSchema>;

/** Cross-field rules, reported at the field's path (zod refinement of GenerationParamsSchema). */
export function structuredIssues(params: StructuredParams): Array<{ path: (string | number)[]; message: string }> {
  const issues: Array<{ path: (string | number)[]; message: string }> = [];
  const names = (params.tools ?? []).map((t) => t.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) issues.push({ path: ['tools', i, 'name'], message: `tool "${name}" is defined twice` });
  });
  const choice = params.toolChoice;
  if (choice && typeof choice === 'object' && !names.includes(choice.name)) {
    issues.push({ path: ['toolChoice', 'name'], message: `toolChoice names "${choice.name}", which is not one of the tools (${names.join(', ') || 'none defined'})` });
  }
  if (choice === 'required' && names.length === 0) issues.push({ path: ['toolChoice'], message: 'toolChoice "required" needs at least one tool' });
  return issues;
}

/** A tool call as the model made it: `arguments` parsed (null when not JSON), `rawArguments` verbatim. */
export const ToolCallSchema = z.object({
  id: z.string().nullable().optional(),
  name: z.string(),
  arguments: z.unknown(),
  rawArguments: z.string(),
  /** Why the call does not follow the tool's definition (unknown tool, arguments not JSON or off-schema); null when it does. */
  problem: z.string().nullable().optional(),
  /** The result given back to the model, once the user (or a mock result set) answered the call. */
  result: z.unknown().optional(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** A tool call with the result the model is given back (JSON; null when none was given). */
export const AnsweredToolCallSchema = ToolCallSchema.extend({ result: z.unknown() });
export type AnsweredToolCall = z.infer<typeof AnsweredToolCallSchema>;

/** How the answer's shape was enforced: the local sampler's grammar, the provider's own feature, or not at all. */
export const ConstrainedBySchema = z.enum(['grammar', 'provider']).nullable();
export type ConstrainedBy = z.infer<typeof ConstrainedBySchema>;

/** True when a request asks for anything but plain text. */
export function wantsStructure(params: StructuredParams): boolean {
  return wantsJson(params) || wantsTools(params);
}

export function wantsJson(params: StructuredParams): boolean {
  return params.responseFormat !== undefined && params.responseFormat !== 'text';
}

export function wantsTools(params: StructuredParams): boolean {
  return (params.tools?.length ?? 0) > 0 && params.toolChoice !== 'none';
}

export function jsonSchemaOf(format: ResponseFormat | undefined): JsonSchema | null {
  return format && typeof format === 'object' ? format.jsonSchema : null;
}

export function toolChoiceName(choice: ToolChoice | undefined): string | null {
  return choice && typeof choice === 'object' ? choice.name : null;
}

/** The mock result for a call: `caseMocks` by tool name first, else the tool's first `mockResults` entry whose `when` matches the arguments. */
export function mockResultFor(
  call: Pick<ToolCall, 'name' | 'arguments'>,
  caseMocks: Record<string, unknown> | undefined,
  tools: readonly ToolDefinition[] | undefined,
): { found: true; result: unknown } | { found: false } {
  if (caseMocks && Object.hasOwn(caseMocks, call.name)) return { found: true, result: caseMocks[call.name] };
  const tool = tools?.find((t) => t.name === call.name);
  const args = call.arguments && typeof call.arguments === 'object' ? (call.arguments as Record<string, unknown>) : {};
  const hit = tool?.mockResults?.find((m) => !m.when || Object.entries(m.when).every(([k, v]) => JSON.stringify(args[k]) === JSON.stringify(v)));
  return hit ? { found: true, result: hit.result } : { found: false };
}

/**
 * The request for the turn after tool results: a forced tool choice (required or a name) becomes
 * auto, or the model could only ever call again and never answer with what it was given.
 */
export function afterToolResults<P extends StructuredParams>(params: P): P {
  const choice = params.toolChoice;
  return choice === undefined || choice === 'auto' || choice === 'none' ? params : { ...params, toolChoice: 'auto' };
}

/** Keywords node-llama-cpp's JSON-schema grammar does not enforce (it samples types, enums, consts, required keys, lengths and item counts). */
const GRAMMAR_UNENFORCED = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'pattern',
  'patternProperties',
  'propertyNames',
  'uniqueItems',
  'contains',
  'minProperties',
  'maxProperties',
  'not',
  'allOf',
  'if',
  'dependentRequired',
  'dependentSchemas',
]);

/**
 * The keywords of a schema a local model's grammar cannot enforce, so its answer parses but may
 * not follow them (e.g. `minimum`): said up front, and measured by the schema-valid rate.
 */
export function grammarUnenforcedKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (GRAMMAR_UNENFORCED.has(key)) found.add(key);
      // `properties` and `$defs` map names to schemas: a property called "pattern" is not the keyword.
      if ((key === 'properties' || key === '$defs' || key === 'definitions') && value && typeof value === 'object') Object.values(value).forEach(walk);
      else if (key !== 'enum' && key !== 'const' && key !== 'required' && key !== 'examples' && key !== 'default') walk(value);
    }
  };
  walk(schema);
  return [...found].sort();
}
