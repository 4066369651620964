import { describe, expect, it } from 'vitest';
import { GenerationParamsSchema } from '../../src/shared/domain/generation';
import { grammarUnenforcedKeywords } from '../../src/shared/domain/structured';
import { checkSchemas } from '../../src/main/core/generation/checkSchemas';
import { finiteNumbers, forcedCallSchema, forcedToolCall } from '../../src/main/core/providers/local/localStructure';

const weather = { name: 'get_weather', description: 'Forecast', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

function firstIssue(input: unknown): { path: string; message: string } | null {
  const parsed = GenerationParamsSchema.safeParse(input);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('structured request shape', () => {
  it('accepts text, json, a schema, tools and every tool choice', () => {
    for (const responseFormat of ['text', 'json', { jsonSchema: { type: 'object', properties: { a: { type: ['string', 'null'] } } }, name: 'answer' }]) {
      expect(firstIssue({ responseFormat })).toBeNull();
    }
    for (const toolChoice of ['auto', 'none', 'required', { name: 'get_weather' }]) expect(firstIssue({ tools: [weather], toolChoice })).toBeNull();
    // Keywords the contract does not know pass through untouched (any draft, provider extensions).
    const parsed = GenerationParamsSchema.parse({ responseFormat: { jsonSchema: { type: 'object', 'x-order': 1, propertyNames: { pattern: '^a' } } } });
    expect(parsed.responseFormat).toEqual({ jsonSchema: { type: 'object', 'x-order': 1, propertyNames: { pattern: '^a' } } });
  });

  it('refuses a schema that is not JSON Schema at the path of the mistake', () => {
    expect(firstIssue({ responseFormat: { jsonSchema: { type: 'object', properties: { city: { type: 'text' } } } } })?.path).toBe('responseFormat.jsonSchema.properties.city.type');
    expect(firstIssue({ responseFormat: { jsonSchema: { required: 'city' } } })?.path).toBe('responseFormat.jsonSchema.required');
    expect(firstIssue({ responseFormat: 'yaml' })?.message).toMatch(/"text", "json" or \{ jsonSchema/);
    expect(firstIssue({ tools: [{ ...weather, parameters: { properties: { city: 5 } } }] })?.path).toBe('tools.0.parameters.properties.city');
    expect(firstIssue({ tools: [{ ...weather, name: 'get weather' }] })?.path).toBe('tools.0.name');
  });

  it('refuses a tool choice that names no defined tool, duplicate tools, and required without tools', () => {
    expect(firstIssue({ tools: [weather], toolChoice: { name: 'get_time' } })).toEqual({ path: 'toolChoice.name', message: expect.stringMatching(/"get_time".*get_weather/) });
    expect(firstIssue({ tools: [weather, weather] })?.path).toBe('tools.1.name');
    expect(firstIssue({ toolChoice: 'required' })?.path).toBe('toolChoice');
  });

  it('compiling catches what the shape cannot: a $ref to nothing, a keyword of the wrong kind, with the field', () => {
    const params = (jsonSchema: object) => GenerationParamsSchema.parse({ responseFormat: { jsonSchema } });
    expect(() => checkSchemas(params({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }))).toThrow(/responseFormat\.jsonSchema is not valid JSON Schema: .*missing/);
    expect(() => checkSchemas(GenerationParamsSchema.parse({ tools: [{ name: 't', parameters: { type: 'object', properties: { a: { multipleOf: 'two' } } } }] }))).toThrow(/tools\.0\.parameters\/properties\/a\/multipleOf/);
    expect(() => checkSchemas(params({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }))).not.toThrow();
  });
});

describe('local grammar helpers', () => {
  it('integers lose the exponent and other numbers keep at most two exponent digits, so JSON.parse never gives Infinity', () => {
    const gbnf = [
      'root ::= "{" integer-number-rule "," fractional-number-rule "}"',
      'integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
      'fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?',
      'number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws',
    ].join('\n');
    const out = finiteNumbers(gbnf).split('\n');
    expect(out[1]).toBe('integer-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15})');
    expect(out[2]).toBe('fractional-number-rule ::= "-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?');
    expect(out[3]).toBe('number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9]{1,2})? ws');
  });

  it('a forced call is one object naming a tool with its parameters; a cut-off call is no call', () => {
    expect(forcedCallSchema([GenerationParamsSchema.parse({ tools: [weather] }).tools![0]!])).toEqual({
      type: 'object',
      properties: { name: { const: 'get_weather' }, arguments: weather.parameters },
      required: ['name', 'arguments'],
    });
    expect(forcedToolCall('{"name":"get_weather","arguments":{"city":"Paris"}}')).toEqual({ id: null, name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' });
    expect(forcedToolCall('{"name":"get_weather","arguments":{"city":"Pa')).toBeNull();
  });
});

describe('what a local grammar cannot enforce', () => {
  it('lists bound and pattern keywords anywhere in the schema, not property names that look like them', () => {
    const schema = {
      type: 'object',
      properties: { pattern: { type: 'string', pattern: '^a' }, n: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
      required: ['pattern'],
      $defs: { x: { type: 'number', multipleOf: 2 } },
    };
    expect(grammarUnenforcedKeywords(schema)).toEqual(['minimum', 'multipleOf', 'pattern', 'uniqueItems']);
    expect(grammarUnenforcedKeywords({ type: 'object', properties: { minimum: { type: 'string', maxLength: 3, enum: ['a'] } } })).toEqual([]);
  });
});
