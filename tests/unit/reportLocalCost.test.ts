import { describe, expect, it } from 'vitest';
import { toReportHtml } from '../../src/main/core/evals/htmlReport';
import { fakeRun } from '../helpers/decideFixtures';

describe('eval HTML report: a local model’s cost is not presented as what it costs to run', () => {
  it('marks local costs as excluding hardware and points to the estimate from Settings → Cost', () => {
    const { results, card } = fakeRun([
      { ref: 'local:small', passes: () => true, promptTokens: 10, completionTokens: 5, totalMs: 100 },
      { ref: 'openai:gpt-4o-mini', passes: () => true, promptTokens: 10, completionTokens: 5, totalMs: 100 },
    ], 2);
    const html = toReportHtml(results, card);
    const rows = html.split('<tr>').filter((r) => r.includes('cells ·'));
    expect(rows.find((r) => r.includes('local:small'))).toContain('<sup title="Local: hardware not included">¹</sup>');
    expect(rows.find((r) => r.includes('openai:gpt-4o-mini'))).not.toContain('<sup');
    expect(html).toContain('not the hardware. What your machines cost at your volume is estimated from Settings → Cost');
  });
});
