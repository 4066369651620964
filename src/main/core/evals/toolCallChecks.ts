import type { GenerationParams } from '../../../shared/domain/generation';
import { jsonSchemaOf, toolChoiceName, wantsJson, type ToolCall } from '../../../shared/domain/structured';
import { Ajv } from 'ajv';
import { toolCallProblem } from '../generation/toolCallProblem';
import { parseWholeJson, validateJsonSchema } from './assertions/json';

export { toolCallProblem };

/** F1 of the distinct tool names called against the expected ones (1 when both are empty). */
export function toolNameF1(expected: readonly string[], actual: readonly string[]): number {
  const want = new Set(expected);
  const got = new Set(actual);
  if (want.size === 0 && got.size === 0) return 1;
  const hits = [...got].filter((n) => want.has(n)).length;
  if (hits === 0) return 0;
  const precision = hits / got.size;
  const recall = hits / want.size;
  return (2 * precision * recall) / (precision + recall);
}

export interface StructuredCell {
  output: string;
  params: GenerationParams;
  toolCalls: readonly ToolCall[] | undefined;
  /** The case's tool-call-f1 verdict, when it has one: the expected tools for `toolChoice: auto`. */
  expectedToolsMet: boolean | null;
}

export type SchemaValidator = (schema: unknown, value: unknown) => boolean;

/**
 * One compiled validator per distinct schema: a scorecard checks every cell of a run against the
 * same few schemas, and compiling one per cell made a 2,000-cell scorecard cost seconds.
 */
export function cachedSchemaValidator(): SchemaValidator {
  const compiled = new Map<string, (value: unknown) => boolean>();
  return (schema, value) => {
    const key = JSON.stringify(schema);
    let check = compiled.get(key);
    if (!check) {
      const ajv = new Ajv({ allErrors: false, strict: false });
      try {
        const validate = ajv.compile(schema as object);
        check = (v) => Boolean(validate(v));
      } catch {
        check = () => false;
      }
      compiled.set(key, check);
    }
    return check(value);
  };
}

/** The four structured-output checks of one finished cell; null where the request did not ask for it. */
export function structuredChecks(cell: StructuredCell, validate: SchemaValidator = (schema, value) => validateJsonSchema(schema, value).valid): { jsonValid: boolean | null; schemaValid: boolean | null; toolCallValid: boolean | null; toolChoiceCorrect: boolean | null } {
  const { params } = cell;
  const calls = cell.toolCalls ?? [];
  let jsonValid: boolean | null = null;
  let schemaValid: boolean | null = null;
  if (wantsJson(params)) {
    const parsed = parseWholeJson(cell.output);
    jsonValid = parsed.ok;
    const schema = jsonSchemaOf(params.responseFormat);
    if (schema) schemaValid = parsed.ok && validate(schema, parsed.value);
  }
  const tools = params.tools ?? [];
  const choice = params.toolChoice ?? 'auto';
  let toolCallValid: boolean | null = null;
  let toolChoiceCorrect: boolean | null = null;
  if (tools.length > 0) {
    const named = toolChoiceName(choice);
    const forced = named !== null || choice === 'required';
    // The verdict recorded at generation time, when there is one; older rows are checked here.
    if (calls.length > 0) toolCallValid = calls.every((c) => (c.problem !== undefined ? c.problem : toolCallProblem(c, tools)) === null);
    else if (forced) toolCallValid = false;
    if (named !== null) toolChoiceCorrect = calls.length > 0 && calls.every((c) => c.name === named);
    else if (choice === 'required') toolChoiceCorrect = calls.length > 0;
    else if (choice === 'none') toolChoiceCorrect = calls.length === 0;
    else toolChoiceCorrect = cell.expectedToolsMet;
  }
  return { jsonValid, schemaValid, toolCallValid, toolChoiceCorrect };
}
