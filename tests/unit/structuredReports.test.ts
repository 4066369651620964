import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../src/main/cli/commands/eval';
import { StructuredScorecards } from '../../src/renderer/evals/Scorecards';
import type { Scorecard } from '../../src/shared/domain/evals';

function card(modelId: string, structured: Scorecard['structured']): Scorecard {
  return {
    modelId,
    unit: 'case',
    cases: 2,
    cells: 2,
    passes: 1,
    errors: 0,
    passRate: 0.5,
    passRateCI95: [0.1, 0.9],
    ttftMsP50: null,
    ttftMsP95: null,
    latencyMsP50: null,
    latencyMsP95: null,
    decodeTokensPerSecond: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    costPerSuccessUsd: null,
    jsonValidityRate: null,
    refusalRate: null,
    structured,
  };
}

const measured = { jsonValid: null, schemaValid: null, toolCallValid: { rate: 0.5, ci95: [0.0945, 0.9055] as [number, number], cases: 2 }, toolChoiceAccuracy: { rate: 1, ci95: [0.342, 1] as [number, number], cases: 2 } };
const nothing = { jsonValid: null, schemaValid: null, toolCallValid: null, toolChoiceAccuracy: null };

describe('structured rates in the scorecard views', () => {
  it('the app table shows each rate with its interval over cases and a dash where not measured; nothing when no request asked', () => {
    const html = renderToStaticMarkup(createElement(StructuredScorecards, { scorecards: [card('openai:gpt-4o-mini', measured), card('local:a', nothing)] }));
    expect(html).toContain('Tool-call validity');
    expect(html).toMatch(/<strong>50%<\/strong> <span class="field-hint">\(9%–91%\)<\/span><div class="field-hint">n = 2 cases/);
    expect(html).toMatch(/title="Not measured: no request in this run asked for JSON">—</);
    expect(html).not.toContain('>0%</strong>');
    expect(renderToStaticMarkup(createElement(StructuredScorecards, { scorecards: [card('local:a', nothing), card('local:b', undefined)] }))).toBe('');
  });

  it('parity eval prints a second table only when a rate was measured', () => {
    const base = { id: 'm', ...card('m', undefined) };
    expect(summaryTable([base] as never)).not.toContain('tool-call validity');
    const out = summaryTable([{ ...base, structured: measured }] as never);
    expect(out).toContain('tool-call validity');
    expect(out).toMatch(/50\.0% \(9\.4%-90\.5%, 2 cases\)/);
  });
});
