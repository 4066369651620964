import type { ChatMessage } from '../../../../shared/domain/generation';
import type { AssertionContext, AssertionHandler, HandlerResult } from './assertionHandlers';
import { parseRubricReply } from './rubric';

export type ContextAssertionType = 'context-faithfulness' | 'context-recall' | 'context-relevance' | 'answer-relevance';

const REPLY_FORMAT = 'Reply with ONLY a JSON object: {"pass": true|false, "score": number between 0 and 1, "reason": "one sentence"}. No other text.';

/** What each assertion asks the grader, in the spirit of promptfoo's (RAGAS-style) metrics. */
const TASKS: Record<ContextAssertionType, { system: string; needsContext: boolean; needsValue: boolean }> = {
  'context-faithfulness': {
    system:
      'You check whether an answer is faithful to a context. List the claims the answer makes and decide for each whether the context supports it. ' +
      `The score is the share of claims the context supports (1 when every claim is supported). ${REPLY_FORMAT}`,
    needsContext: true,
    needsValue: false,
  },
  'context-recall': {
    system:
      'You check whether a context contains the information of a reference answer. Split the reference into statements and decide for each whether it can be attributed to the context. ' +
      `The score is the share of statements found in the context. ${REPLY_FORMAT}`,
    needsContext: true,
    needsValue: true,
  },
  'context-relevance': {
    system:
      'You check how relevant a context is to a question. Count the sentences of the context needed to answer the question. ' +
      `The score is that count divided by the number of sentences in the context. ${REPLY_FORMAT}`,
    needsContext: true,
    needsValue: false,
  },
  'answer-relevance': {
    system:
      'You check whether an answer addresses the question asked: directly, completely and without unrelated content (correctness is not judged here). ' +
      `The score is 1 for a fully relevant answer and 0 for an unrelated one. ${REPLY_FORMAT}`,
    needsContext: false,
    needsValue: false,
  },
};

function skipped(why: string): HandlerResult {
  return { pass: false, score: 0, reason: why, skipped: why };
}

/** The question: vars.query, else vars.question, else the prompt as sent. */
function questionOf(ctx: AssertionContext): string {
  return ctx.vars.query ?? ctx.vars.question ?? ctx.prompt;
}

/** The retrieved context: vars.context (text, or a JSON list of passages). */
function contextOf(ctx: AssertionContext): string | null {
  const raw = ctx.vars.context;
  if (raw === undefined || raw.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.map((p, i) => `[${i + 1}] ${typeof p === 'string' ? p : JSON.stringify(p)}`).join('\n\n');
  } catch {
    // Plain text.
  }
  return raw;
}

export function contextMessages(type: ContextAssertionType, parts: { question: string; context: string | null; answer: string; reference: string }): ChatMessage[] {
  const sections = [`Question:\n${parts.question}`];
  if (parts.context !== null) sections.push(`Context:\n<context>\n${parts.context}\n</context>`);
  if (type === 'context-recall') sections.push(`Reference answer:\n<reference>\n${parts.reference}\n</reference>`);
  else sections.push(`Answer:\n<answer>\n${parts.answer}\n</answer>`);
  return [
    { role: 'system', content: TASKS[type].system },
    { role: 'user', content: sections.join('\n\n') },
  ];
}

function handler(type: ContextAssertionType): AssertionHandler {
  return async (ctx) => {
    const task = TASKS[type];
    if (!ctx.grader || !ctx.grade) return skipped('needs a grader model (no grader model set: choose one in Settings, pass --grader, or set `provider` on the assertion)');
    const context = contextOf(ctx);
    if (task.needsContext && context === null) return skipped(`${type} needs the retrieved passages in vars.context`);
    const reference = typeof ctx.value === 'string' ? ctx.value : ctx.value === undefined || ctx.value === null ? '' : JSON.stringify(ctx.value);
    if (task.needsValue && reference.trim() === '') return skipped(`${type} needs the reference answer as its value`);
    let reply: string;
    try {
      reply = await ctx.grade(ctx.grader, contextMessages(type, { question: questionOf(ctx), context, answer: ctx.output, reference }), { signal: ctx.signal });
    } catch (error) {
      return { pass: false, score: 0, reason: `grader ${ctx.grader} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const verdict = parseRubricReply(reply);
    if (!verdict) return { pass: false, score: 0, reason: `could not read the grader's verdict: ${JSON.stringify(reply.slice(0, 60))}` };
    // The score decides, as in promptfoo: threshold from the assertion, else 0.5.
    const threshold = ctx.threshold ?? 0.5;
    return { pass: verdict.score >= threshold, score: verdict.score, reason: verdict.reason || `${type} ${verdict.score.toFixed(2)} (graded by ${ctx.grader})` };
  };
}

export const CONTEXT_HANDLERS: Record<ContextAssertionType, AssertionHandler> = {
  'context-faithfulness': handler('context-faithfulness'),
  'context-recall': handler('context-recall'),
  'context-relevance': handler('context-relevance'),
  'answer-relevance': handler('answer-relevance'),
};
