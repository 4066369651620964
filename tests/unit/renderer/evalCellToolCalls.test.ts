import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GridCell } from '../../../src/renderer/evals/ResultsGrid';
import type { EvalCell } from '../../../src/shared/domain/evals';
import { emptyMetrics } from '../../../src/shared/domain/generation';

function cell(over: Partial<EvalCell['metrics']>): EvalCell {
  return {
    runId: 'r',
    caseId: 'c',
    modelId: 'openai:gpt',
    repeat: 0,
    status: 'done',
    request: { messages: [], params: {} },
    output: '',
    pass: true,
    score: 1,
    assertions: [],
    metrics: { ...emptyMetrics('openai', 'gpt'), ...over },
    error: null,
    finishedAt: '2026-11-26T00:00:00Z',
  };
}

describe('eval result cell', () => {
  it('an answer that is only tool calls shows the calls (verdict, arguments, result), not "empty"', () => {
    const html = renderToStaticMarkup(
      createElement(GridCell, {
        regressed: false,
        cell: cell({
          toolCalls: [
            { id: 'a', name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}', problem: null, result: { sky: 'sunny' } },
            { id: 'b', name: 'get_time', arguments: null, rawArguments: '{"tz', problem: 'not JSON' },
          ],
        }),
      }),
    );
    expect(html).not.toContain('<em>empty</em>');
    expect(html).toContain('✓ get_weather({&quot;city&quot;:&quot;Paris&quot;}) → {&quot;sky&quot;:&quot;sunny&quot;}');
    expect(html).toContain('✗ get_time({&quot;tz)');
  });

  it('a plain empty answer still says so', () => {
    expect(renderToStaticMarkup(createElement(GridCell, { regressed: false, cell: cell({}) }))).toContain('<em>empty</em>');
  });
});
