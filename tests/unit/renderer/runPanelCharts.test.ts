import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { evaluateDecision, type PriceLookup } from '../../../src/main/core/decide/evaluateDecision';
import { DecideChart } from '../../../src/renderer/evals/decide/DecideChart';
import { QualityCharts } from '../../../src/renderer/evals/QualityCharts';
import { niceTicks } from '../../../src/renderer/evals/ScatterPlot';
import { fakeRun, OWNED_BOX_SETTINGS } from '../../helpers/decideFixtures';

/*
 * The run panel's charts draw everything in their first render. The recharts charts they replace
 * drew their points and lines only in a second, synchronous render after their axes registered
 * in layout effects: that double drawing was the 55-160 ms task of opening the panel (#9.8). A
 * server render runs no effects, so it shows exactly what the first render draws.
 */
const { results } = fakeRun([
  { ref: 'local:small', passes: (i) => i < 15, promptTokens: 400, completionTokens: 100, totalMs: 480 },
  { ref: 'openai:gpt-4o-mini', passes: (i) => i < 19, promptTokens: 400, completionTokens: 100, totalMs: 900 },
]);

describe('run panel charts', () => {
  it('draws each measured model as a point in the first render, with its values as its title', () => {
    const html = renderToStaticMarkup(createElement(QualityCharts, { scorecards: results.scorecards }));
    const latency = html.slice(html.indexOf('Quality vs latency'));
    expect(latency.match(/<circle/g)).toHaveLength(2);
    expect(latency).toContain('<title>local:small: 75.0% at 480 ms</title>');
    expect(latency).toContain('<title>openai:gpt-4o-mini: 95.0% at 900 ms</title>');
    // The remote model has no price: it is not drawn at $0, it is named as not measured.
    const cost = html.slice(html.indexOf('Quality vs cost'), html.indexOf('Quality vs latency'));
    expect(cost.match(/<circle/g)).toHaveLength(1);
    expect(cost).toContain('1 model(s) not shown: not measured.');
  });

  it('draws the cost lines, the volume and the break-even in the first render', () => {
    const prices: PriceLookup = (ref) => (ref === 'openai:gpt-4o-mini' ? { inputPerMTok: 0.15, outputPerMTok: 0.6 } : null);
    const decision = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.7 } }, results, prices, OWNED_BOX_SETTINGS);
    const html = renderToStaticMarkup(createElement(DecideChart, { decision }));
    expect(html.match(/<polyline/g)).toHaveLength(2);
    expect(html).toContain('<title>openai:gpt-4o-mini</title>');
    expect(html).toContain('your volume');
    expect(html).toMatch(/<title>break-even local:small \/ openai:gpt-4o-mini: [\d.]+k? tasks\/day<\/title>/);
  });

  it('says there is nothing to chart when no model has a cost above $0', () => {
    const decision = evaluateDecision({ runId: 'run-d', volume: { amount: 2000 }, rule: { kind: 'cheapest-above-pass', minPassRate: 0.7 } }, fakeRun([{ ref: 'anthropic:claude-x', passes: () => true, promptTokens: 1, completionTokens: 1, totalMs: 1 }]).results, () => null, OWNED_BOX_SETTINGS);
    expect(renderToStaticMarkup(createElement(DecideChart, { decision }))).toContain('nothing to chart');
  });

  it('ends an axis on a round value at or past the largest point', () => {
    expect(niceTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(1000)).toEqual([0, 250, 500, 750, 1000]);
    expect(niceTicks(0.0042)).toEqual([0, 0.002, 0.004, 0.006]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    // Every model at $0 (local ones): an axis from 0 to 1 rather than a division by zero.
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
