import { Ajv } from 'ajv';
import type { ToolCall, ToolDefinition } from '../../../shared/domain/structured';

/** Why a tool call does not follow the tools offered (unknown name, arguments not JSON or off-schema), or null. */
export function toolCallProblem(call: Pick<ToolCall, 'name' | 'arguments' | 'rawArguments'>, tools: readonly Pick<ToolDefinition, 'name' | 'parameters'>[]): string | null {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return `"${call.name}" is not one of the tools (${tools.map((t) => t.name).join(', ') || 'none'})`;
  if (call.arguments === null || call.arguments === undefined) return `the arguments of "${call.name}" are not JSON: ${call.rawArguments.slice(0, 80)}`;
  // A fresh instance per call: ajv caches every compiled schema, which would only grow.
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(tool.parameters);
  } catch (error) {
    return `the parameters of "${call.name}" are not valid JSON Schema: ${error instanceof Error ? error.message : String(error)}`;
  }
  return validate(call.arguments) ? null : `the arguments of "${call.name}" do not match its parameters: ${ajv.errorsText(validate.errors)}`;
}

/** The calls with `problem` filled in, so every client (chat card, API, evals) shows the same verdict. */
export function withProblems(calls: readonly ToolCall[], tools: readonly ToolDefinition[] | undefined): ToolCall[] {
  return calls.map((c) => ({ ...c, problem: toolCallProblem(c, tools ?? []) }));
}
