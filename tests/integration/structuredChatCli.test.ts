import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program';
import { cliIo } from '../helpers/cli';
import { STORIES_MODEL, SYNTHETIC_MODEL, tempDir } from '../helpers/tmp';

// Every kind of value the grammar must keep valid: integers (no exponent that overflows to
// Infinity), numbers, an enum, a bounded string, booleans, nested objects and arrays, required keys.
const SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 24 },
    age: { type: 'integer' },
    score: { type: 'number' },
    mood: { enum: ['happy', 'sad', 'calm'] },
    ok: { type: 'boolean' },
    pet: { type: 'object', properties: { kind: { type: 'string', maxLength: 12 }, legs: { type: 'integer' } }, required: ['kind', 'legs'], additionalProperties: false },
    tags: { type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3 },
  },
  required: ['name', 'age', 'score', 'mood', 'ok', 'pet', 'tags'],
  additionalProperties: false,
};

describe('parity chat --json-schema on local models', () => {
  for (const [label, model] of [['stories260K', STORIES_MODEL], ['synthetic-84m', SYNTHETIC_MODEL]] as const) {
    it(`${label}: the text parses and validates against the schema, on every sampled answer`, async () => {
      using dir = tempDir();
      const schemaPath = join(dir.path, 'schema.json');
      writeFileSync(schemaPath, JSON.stringify(SCHEMA));
      const validate = new Ajv({ strict: false }).compile(SCHEMA);
      // Sampled hot with different seeds: without the grammar these models write stories or gibberish.
      for (let seed = 1; seed <= 6; seed++) {
        const io = cliIo();
        const args = ['--data-dir', dir.path, 'chat', '--model', model, '--json-schema', schemaPath, '--json', '--threads', '1', '--temperature', '1.2', '--seed', String(seed), 'Describe a person.'];
        expect(await runCli(args, io), io.stderr()).toBe(0);
        const result = JSON.parse(io.stdout());
        expect(result.constrained).toBe('grammar');
        expect(result.stopReason).toBe('eos');
        const value = JSON.parse(result.text);
        expect(validate(value), `${result.text}\n${JSON.stringify(validate.errors)}`).toBe(true);
      }
      // Six sampled answers of up to a few hundred tokens each: about 30 s alone, more on a busy machine.
    }, 240_000);
  }

  it('says up front which keywords the local grammar cannot enforce (the answer still parses)', async () => {
    using dir = tempDir();
    const schemaPath = join(dir.path, 'bounded.json');
    writeFileSync(schemaPath, JSON.stringify({ type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 9 } }, required: ['n'] }));
    const io = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--json-schema', schemaPath, '--json', '--threads', '1', '--seed', '1', 'A number'], io)).toBe(0);
    expect(io.stderr()).toMatch(/grammar does not enforce maximum, minimum; the answer will parse/);
    expect(typeof JSON.parse(JSON.parse(io.stdout()).text).n).toBe('number');
  });

  it('refuses a schema that is not JSON Schema with the path of the error, before loading anything', async () => {
    using dir = tempDir();
    const schemaPath = join(dir.path, 'bad.json');
    writeFileSync(schemaPath, JSON.stringify({ type: 'object', properties: { city: { type: 'text' } } }));
    const io = cliIo();
    expect(await runCli(['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--json-schema', schemaPath, '--json', 'Hi'], io)).toBe(1);
    expect(io.stderr()).toMatch(/responseFormat\.jsonSchema\.properties\.city\.type/);
  });

  it('a forced tool call comes back parsed, with arguments that follow the tool parameters', async () => {
    using dir = tempDir();
    const toolsPath = join(dir.path, 'tools.json');
    const parameters = { type: 'object', properties: { city: { type: 'string', maxLength: 20 }, days: { type: 'integer' } }, required: ['city', 'days'], additionalProperties: false };
    writeFileSync(toolsPath, JSON.stringify([{ name: 'get_weather', description: 'Weather forecast', parameters }, { name: 'get_time', parameters: { type: 'object', properties: {} } }]));
    const validate = new Ajv({ strict: false }).compile(parameters);
    const io = cliIo();
    const args = ['--data-dir', dir.path, 'chat', '--model', STORIES_MODEL, '--tools', toolsPath, '--tool-choice', 'get_weather', '--json', '--threads', '1', '--seed', '3', 'Weather in Paris?'];
    expect(await runCli(args, io), io.stderr()).toBe(0);
    const result = JSON.parse(io.stdout());
    expect(result.constrained).toBe('grammar');
    expect(result.text).toBe('');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0].name).toBe('get_weather');
    expect(validate(result.toolCalls[0].arguments)).toBe(true);
    expect(JSON.parse(result.toolCalls[0].rawArguments)).toEqual(result.toolCalls[0].arguments);
  });
});
