import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { scorecard } from '../../src/main/core/evals/results';
import { Scorecards } from '../../src/renderer/evals/Scorecards';
import type { EvalCell } from '../../src/shared/domain/evals';
import { emptyMetrics } from '../../src/shared/domain/generation';
import { MISSING } from '../../src/shared/format';

function errored(caseId: string): EvalCell {
  return {
    runId: 'r',
    caseId,
    modelId: 'openai:x',
    repeat: 0,
    status: 'error',
    request: { messages: [], params: {} },
    output: '',
    pass: false,
    score: 0,
    assertions: [],
    metrics: emptyMetrics('openai', 'x'),
    error: { code: 'PROVIDER_AUTH', message: 'bad key' },
    finishedAt: 'now',
  };
}

describe('app scorecard: a model with no finished cell', () => {
  it('shows the missing mark and "nothing measured", not 0% with an interval', () => {
    const html = renderToStaticMarkup(createElement(Scorecards, { scorecards: [scorecard('openai:x', [errored('a'), errored('b')])] }));
    const row = /<tr><th scope="row"[^>]*>openai:x<\/th>[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain(`<strong>${MISSING}</strong>`);
    expect(row).toContain('nothing measured');
    expect(row).not.toMatch(/>0%/);
    expect(row).toContain('0/2 cells passed, 2 errors');
  });
});
