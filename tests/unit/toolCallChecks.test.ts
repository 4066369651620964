import { describe, expect, it } from 'vitest';
import { caseRate } from '../../src/main/core/evals/results';
import { cachedSchemaValidator, structuredChecks, toolCallProblem, toolNameF1 } from '../../src/main/core/evals/toolCallChecks';

const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('tool-call checks', () => {
  it('F1 of called against expected tool names', () => {
    expect(toolNameF1(['a'], ['a'])).toBe(1);
    expect(toolNameF1(['a', 'b'], ['a'])).toBeCloseTo(2 / 3, 12);
    expect(toolNameF1(['a'], ['a', 'c'])).toBeCloseTo(2 / 3, 12);
    expect(toolNameF1(['a'], [])).toBe(0);
    expect(toolNameF1([], [])).toBe(1);
    expect(toolNameF1(['a'], ['a', 'a'])).toBe(1);
  });

  it('a call is valid when it names a tool and its arguments follow the parameters', () => {
    expect(toolCallProblem({ name: 'get_weather', arguments: { city: 'Paris' }, rawArguments: '{"city":"Paris"}' }, [weather])).toBeNull();
    expect(toolCallProblem({ name: 'get_time', arguments: {}, rawArguments: '{}' }, [weather])).toMatch(/not one of the tools \(get_weather\)/);
    expect(toolCallProblem({ name: 'get_weather', arguments: null, rawArguments: '{"ci' }, [weather])).toMatch(/not JSON/);
    expect(toolCallProblem({ name: 'get_weather', arguments: {}, rawArguments: '{}' }, [weather])).toMatch(/do not match its parameters/);
  });

  it('each check is measured only where the request asked for it', () => {
    const none = structuredChecks({ output: 'hi', params: {}, toolCalls: undefined, expectedToolsMet: null });
    expect(none).toEqual({ jsonValid: null, schemaValid: null, toolCallValid: null, toolChoiceCorrect: null });
    const json = structuredChecks({ output: '{"a":1}', params: { responseFormat: { jsonSchema: { type: 'object', required: ['b'] } } }, toolCalls: undefined, expectedToolsMet: null });
    expect(json).toMatchObject({ jsonValid: true, schemaValid: false });
    const forcedNoCall = structuredChecks({ output: 'no', params: { tools: [weather], toolChoice: 'required' }, toolCalls: [], expectedToolsMet: null });
    expect(forcedNoCall).toMatchObject({ toolCallValid: false, toolChoiceCorrect: false });
    const autoNoCall = structuredChecks({ output: 'no', params: { tools: [weather] }, toolCalls: [], expectedToolsMet: null });
    expect(autoNoCall).toMatchObject({ toolCallValid: null, toolChoiceCorrect: null });
    const noneButCalled = structuredChecks({ output: '', params: { tools: [weather], toolChoice: 'none' }, toolCalls: [{ name: 'get_weather', arguments: { city: 'x' }, rawArguments: '' }], expectedToolsMet: null });
    expect(noneButCalled.toolChoiceCorrect).toBe(false);
  });

  it('rates are over cases: repeats of a case are averaged first, and nothing measured is null', () => {
    expect(caseRate([])).toBeNull();
    // Case a: 3 of 3 repeats; case b: 0 of 1. Per cell this would be 75%; per case it is 50%.
    const r = caseRate([
      { caseId: 'a', value: true },
      { caseId: 'a', value: true },
      { caseId: 'a', value: true },
      { caseId: 'b', value: false },
    ])!;
    expect(r.rate).toBe(0.5);
    expect(r.cases).toBe(2);
    expect(r.ci95[0]).toBeLessThan(0.5);
    expect(r.ci95[1]).toBeGreaterThan(0.5);
  });

  it('the verdict recorded at generation time is used when present; one compiled validator per schema', () => {
    const recorded = structuredChecks({ output: '', params: { tools: [weather] }, toolCalls: [{ name: 'get_weather', arguments: { city: 'x' }, rawArguments: '', problem: 'recorded verdict' }], expectedToolsMet: null });
    expect(recorded.toolCallValid).toBe(false);
    const validate = cachedSchemaValidator();
    expect(validate({ type: 'object', required: ['a'] }, { a: 1 })).toBe(true);
    expect(validate({ type: 'object', required: ['a'] }, {})).toBe(false);
    expect(validate({ type: 'string' }, 'x')).toBe(true);
    expect(validate({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, {})).toBe(false);
  });
});
