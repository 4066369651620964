import { describe, expect, it } from 'vitest';
import { structuredFromDraft, structuredToDraft } from '../../../src/renderer/chat/structuredDraft';
import { GenerationParamsSchema } from '../../../src/shared/domain/generation';

const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, mockResults: [{ result: 'sunny' }] }];

describe('chat settings: answer format and tools', () => {
  it('round-trips a conversation’s fields through the form text', () => {
    const params = GenerationParamsSchema.parse({ responseFormat: { jsonSchema: { type: 'object' } }, tools, toolChoice: { name: 'get_weather' } });
    const draft = structuredToDraft(params);
    expect(draft).toMatchObject({ responseFormat: 'schema', toolChoice: 'get_weather' });
    const back = structuredFromDraft(draft);
    expect(back.ok && GenerationParamsSchema.parse(back.params)).toEqual(params);
  });

  it('plain text and no tools send no fields; bad JSON is caught before saving, naming the field', () => {
    expect(structuredFromDraft({ responseFormat: 'text', jsonSchema: '', tools: '', toolChoice: 'auto' })).toEqual({ ok: true, params: {} });
    expect(structuredFromDraft({ responseFormat: 'schema', jsonSchema: '{type: object}', tools: '', toolChoice: 'auto' })).toMatchObject({ ok: false, message: expect.stringMatching(/^The JSON Schema is not JSON/) });
    expect(structuredFromDraft({ responseFormat: 'text', jsonSchema: '', tools: '[{', toolChoice: 'auto' })).toMatchObject({ ok: false, message: expect.stringMatching(/^Tools is not JSON/) });
    expect(structuredFromDraft({ responseFormat: 'json', jsonSchema: '', tools: JSON.stringify(tools[0]), toolChoice: 'required' })).toEqual({ ok: true, params: { responseFormat: 'json', tools: [tools[0]], toolChoice: 'required' } });
  });
});

describe('chat settings: what a local grammar cannot enforce', () => {
  it('names the keywords under the schema field', async () => {
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { ParamsPanel } = await import('../../../src/renderer/chat/ParamsPanel');
    const conversation = {
      id: 'c',
      title: 't',
      modelRef: null,
      systemPrompt: '',
      params: GenerationParamsSchema.parse({ responseFormat: { jsonSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } } } } }),
      activeLeafId: null,
      createdAt: '2026-11-26T00:00:00Z',
      updatedAt: '2026-11-26T00:00:00Z',
      deletedAt: null,
    };
    const html = renderToStaticMarkup(createElement(ParamsPanel, { conversation, saving: false, onSave: async () => undefined }));
    expect(html).toContain('the grammar does not enforce minimum');
  });
});
