import { QueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClientProvider } from '../../../src/renderer/api/ClientContext';
import type { ParityClient } from '../../../src/renderer/api/client';
import { formatArguments, parseResult, ToolCallCards, type ToolCallCardsProps } from '../../../src/renderer/chat/ToolCallCards';
import { emptyMetrics } from '../../../src/shared/domain/generation';
import type { ToolCall } from '../../../src/shared/domain/structured';

const client = { request: async () => ({ ok: true, data: null }), on: () => () => undefined } as unknown as ParityClient;

function render(calls: ToolCall[], extra: Partial<ToolCallCardsProps> = {}): string {
  const message = { id: 'm1', conversationId: 'c1', status: 'complete' as const, metrics: { ...emptyMetrics('openai', 'gpt'), toolCalls: calls } };
  return renderToStaticMarkup(createElement(ClientProvider, { client, queryClient: new QueryClient(), children: createElement(ToolCallCards, { message, busy: false, ...extra }) }));
}

const weather: ToolCall = { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', days: 2 }, rawArguments: '{"city":"Paris","days":2}', problem: null };

describe('tool-call cards', () => {
  it('show the name, the arguments as indented JSON and the verdict, with a result field until answered', () => {
    const html = render([weather, { id: 'call_2', name: 'get_time', arguments: null, rawArguments: '{"tz": "Eu', problem: 'the arguments of "get_time" are not JSON: {"tz": "Eu' }]);
    expect(html).toContain('<strong class="mono">get_weather</strong>');
    expect(html).toContain('{\n  &quot;city&quot;: &quot;Paris&quot;,\n  &quot;days&quot;: 2\n}');
    expect(html).toContain('arguments follow the schema');
    // Arguments that are not JSON are shown verbatim, with the verdict.
    expect(html).toContain('{&quot;tz&quot;: &quot;Eu</pre>');
    expect(html).toMatch(/badge--warning">the arguments of &quot;get_time&quot; are not JSON/);
    expect(html).toContain('aria-label="Result of get_weather"');
    expect(html).toContain('Send results');
    expect(html).not.toContain('Fill from mock results');
  });

  it('offers the tool’s mock results when it has some, and shows a given result instead of the field', () => {
    const tools = [{ name: 'get_weather', parameters: {}, mockResults: [{ result: { sky: 'sunny' } }] }];
    expect(render([weather], { tools })).toContain('Fill from mock results');
    const answered = render([{ ...weather, result: { sky: 'rain' } }]);
    expect(answered).toContain('Result given');
    expect(answered).toContain('&quot;sky&quot;: &quot;rain&quot;');
    expect(answered).not.toContain('Send results');
  });

  it('renders nothing for an answer without tool calls', () => {
    expect(render([])).toBe('');
  });

  it('a typed result is JSON when it parses, else the text itself', () => {
    expect(parseResult('{"a":1}')).toEqual({ a: 1 });
    expect(parseResult('21 degrees')).toBe('21 degrees');
    expect(formatArguments({ arguments: null, rawArguments: 'x' })).toBe('x');
  });
});
