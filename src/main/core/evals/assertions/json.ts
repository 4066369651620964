import { Ajv } from 'ajv';

/** Parses the whole output as JSON (whitespace and one ```json fence allowed). */
export function parseWholeJson(output: string): { ok: true; value: unknown } | { ok: false } {
  const text = output.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) };
  } catch {
    return { ok: false };
  }
}

/** Every balanced `{...}` or `[...]` substring that parses as JSON, in order of appearance. */
export function extractJsonValues(output: string): unknown[] {
  const found: unknown[] = [];
  for (let start = 0; start < output.length; start++) {
    const open = output[start];
    if (open !== '{' && open !== '[') continue;
    const end = matchingClose(output, start);
    if (end < 0) continue;
    try {
      found.push(JSON.parse(output.slice(start, end + 1)));
      start = end;
    } catch {
      // Not JSON from here; a later brace may start a valid value.
    }
  }
  return found;
}

function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Validates `value` against a JSON Schema; a schema that does not compile is reported as such. */
export function validateJsonSchema(schema: unknown, value: unknown): { valid: boolean; errors: string } {
  // A fresh instance per call: ajv caches every compiled schema, which would only grow.
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate;
  try {
    validate = ajv.compile(typeof schema === 'string' ? (JSON.parse(schema) as object) : (schema as object));
  } catch (error) {
    return { valid: false, errors: `the schema is invalid: ${error instanceof Error ? error.message : String(error)}` };
  }
  const valid = validate(value);
  return { valid: Boolean(valid), errors: valid ? '' : ajv.errorsText(validate.errors) };
}
