import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAssertions, type EvaluateOptions } from '../../src/main/core/evals/assertions/evaluateAssertions';
import type { GradeFunction } from '../../src/main/core/evals/assertions/assertionHandlers';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import type { AssertionSpec } from '../../src/shared/domain/evals';
import { AssertionTypeSchema } from '../../src/shared/domain/evals';
import { emptyMetrics, type ChatMessage } from '../../src/shared/domain/generation';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

/** A grader that answers with a fixed verdict and keeps what it was asked (the model is a dependency here). */
function grader(reply: string): { grade: GradeFunction; asked: ChatMessage[][] } {
  const asked: ChatMessage[][] = [];
  return { asked, grade: async (_ref, messages) => (asked.push(messages), reply) };
}

function opts(extra: Partial<EvaluateOptions>): EvaluateOptions {
  return {
    output: 'Employees get 27 days of paid leave [1].',
    vars: { question: 'How many days of leave?', context: JSON.stringify(['Every employee receives 27 days of paid leave per year.', 'Laptops are replaced every four years.']) },
    prompt: 'Answer: How many days of leave?',
    metrics: emptyMetrics('local', 'm'),
    grade: null,
    embed: null,
    sandbox,
    jsTimeoutMs: 1000,
    defaultGrader: 'local:grader',
    ...extra,
  };
}

async function one(spec: AssertionSpec, extra: Partial<EvaluateOptions>) {
  return (await evaluateAssertions([spec], undefined, opts(extra))).assertions[0]!;
}

describe('context-* and answer-relevance assertions', () => {
  it('are part of the assertion set', () => {
    for (const t of ['context-faithfulness', 'context-recall', 'context-relevance', 'answer-relevance']) expect(AssertionTypeSchema.options).toContain(t);
  });

  it('context-faithfulness sends the question, the numbered passages and the answer, and passes on the score', async () => {
    const g = grader('{"pass": true, "score": 0.9, "reason": "every claim is in passage 1"}');
    const result = await one({ type: 'context-faithfulness' }, { grade: g.grade });
    expect(result).toMatchObject({ pass: true, score: 0.9, reason: 'every claim is in passage 1' });
    const user = g.asked[0]![1]!.content;
    expect(g.asked[0]![0]!.content).toMatch(/share of claims the context supports/);
    expect(user).toContain('Question:\nHow many days of leave?');
    expect(user).toContain('[1] Every employee receives 27 days of paid leave per year.\n\n[2] Laptops are replaced every four years.');
    expect(user).toContain('<answer>\nEmployees get 27 days of paid leave [1].\n</answer>');
  });

  it('the threshold decides (default 0.5), whatever the grader says about pass', async () => {
    const low = grader('{"pass": true, "score": 0.3, "reason": "weak"}');
    expect(await one({ type: 'context-relevance' }, { grade: low.grade })).toMatchObject({ pass: false, score: 0.3 });
    expect(await one({ type: 'context-relevance', threshold: 0.2 }, { grade: low.grade })).toMatchObject({ pass: true });
  });

  it('context-recall grades the reference answer (its value) against the context, not the output', async () => {
    const g = grader('{"score": 1, "reason": "found"}');
    await one({ type: 'context-recall', value: '27 days a year' }, { grade: g.grade });
    const user = g.asked[0]![1]!.content;
    expect(user).toContain('<reference>\n27 days a year\n</reference>');
    expect(user).not.toContain('<answer>');
  });

  it('answer-relevance needs no context', async () => {
    const g = grader('{"score": 0.8}');
    const result = await one({ type: 'answer-relevance' }, { grade: g.grade, vars: { question: 'How many days of leave?' } });
    expect(result).toMatchObject({ pass: true, score: 0.8 });
    expect(g.asked[0]![1]!.content).not.toContain('Context:');
  });

  it('is skipped, with the reason, without a grader, a context or a reference', async () => {
    expect((await one({ type: 'context-faithfulness' }, { grade: null })).reason).toMatch(/needs a grader model/);
    const g = grader('{"score": 1}');
    expect((await one({ type: 'context-faithfulness' }, { grade: g.grade, vars: { question: 'q' } })).reason).toBe('context-faithfulness needs the retrieved passages in vars.context');
    expect((await one({ type: 'context-recall' }, { grade: g.grade })).reason).toBe('context-recall needs the reference answer as its value');
    expect(g.asked).toEqual([]);
  });
});
