import type { ConversationParams } from '../../shared/contract';

/** The structured-output fields of the settings form, as the text the user edits. */
export interface StructuredDraft {
  responseFormat: 'text' | 'json' | 'schema';
  jsonSchema: string;
  tools: string;
  toolChoice: string;
}

export function structuredToDraft(params: ConversationParams): StructuredDraft {
  const format = params.responseFormat;
  return {
    responseFormat: format === undefined || format === 'text' ? 'text' : format === 'json' ? 'json' : 'schema',
    jsonSchema: format && typeof format === 'object' ? JSON.stringify(format.jsonSchema, null, 2) : '',
    tools: params.tools?.length ? JSON.stringify(params.tools, null, 2) : '',
    toolChoice: params.toolChoice === undefined ? 'auto' : typeof params.toolChoice === 'string' ? params.toolChoice : params.toolChoice.name,
  };
}

function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The draft → request fields. Only JSON syntax is checked here; the shape (a JSON Schema, tool
 * names, a tool choice naming a tool) is checked by main, which names the path of a mistake.
 */
export function structuredFromDraft(d: StructuredDraft): { ok: true; params: Partial<ConversationParams> } | { ok: false; message: string } {
  const out: Record<string, unknown> = {};
  if (d.responseFormat === 'json') out.responseFormat = 'json';
  if (d.responseFormat === 'schema') {
    const schema = parseJson(d.jsonSchema, 'The JSON Schema');
    if (!schema.ok) return schema;
    out.responseFormat = { jsonSchema: schema.value };
  }
  if (d.tools.trim()) {
    const tools = parseJson(d.tools, 'Tools');
    if (!tools.ok) return tools;
    out.tools = Array.isArray(tools.value) ? tools.value : [tools.value];
    const choice = d.toolChoice.trim() || 'auto';
    out.toolChoice = ['auto', 'none', 'required'].includes(choice) ? choice : { name: choice };
  }
  return { ok: true, params: out as Partial<ConversationParams> };
}
