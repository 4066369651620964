import { Ajv } from 'ajv';
import type { GenerationParams } from '../../../shared/domain/generation';
import { AppError } from '../../../shared/errors';

/**
 * The contract checks a schema's shape; this compiles it, which also catches what only a compiler
 * sees (a `$ref` to nothing, a keyword of the wrong kind deep inside). Refused before any model
 * runs, naming where the problem is, e.g. `tools.0.parameters/properties/city/type`.
 */
export function checkSchemas(params: GenerationParams): void {
  const schemas: Array<[string, unknown]> = [];
  if (params.responseFormat && typeof params.responseFormat === 'object') schemas.push(['responseFormat.jsonSchema', params.responseFormat.jsonSchema]);
  (params.tools ?? []).forEach((tool, i) => schemas.push([`tools.${i}.parameters`, tool.parameters]));
  for (const [field, raw] of schemas) {
    // Validated against the draft ajv speaks; a `$schema` naming another draft should not fail the check by itself.
    const { $schema: _draft, ...schema } = raw as Record<string, unknown>;
    // A fresh instance per schema: ajv caches compiled schemas by $id, and two tools may share one.
    const ajv = new Ajv({ allErrors: false, strict: false });
    if (!ajv.validateSchema(schema)) {
      const first = ajv.errors?.[0];
      const where = `${field}${first?.instancePath ?? ''}`;
      throw new AppError('VALIDATION_FAILED', `${where} is not valid JSON Schema: ${first?.message ?? 'invalid'}.`, { field: where });
    }
    try {
      ajv.compile(schema);
    } catch (error) {
      throw new AppError('VALIDATION_FAILED', `${field} is not valid JSON Schema: ${error instanceof Error ? error.message : String(error)}.`, { field });
    }
  }
}
