import type { AssertionType } from '../../../../shared/domain/evals';
import { toolNameF1 } from '../toolCallChecks';
import type { AssertionContext, AssertionHandler, HandlerResult } from './assertionHandlers';

function names(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' && 'name' in v ? String((v as { name: unknown }).name) : String(v)));
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** The names the model called: its tool calls when the provider returned them, else none. */
export function calledNames(ctx: Pick<AssertionContext, 'metrics'>): string[] {
  return (ctx.metrics.toolCalls ?? []).map((c) => c.name);
}

export const TOOL_CALL_HANDLERS = {
  // promptfoo's tool-call-f1: the value lists the expected tool names; passes at F1 ≥ threshold (default 1).
  'tool-call-f1': (ctx): HandlerResult => {
    const expected = names(ctx.value);
    const actual = calledNames(ctx);
    const score = toolNameF1(expected, actual);
    const threshold = ctx.threshold ?? 1;
    return { pass: score >= threshold - 1e-12, score, reason: `tool-call F1 ${score.toFixed(2)} (called ${actual.join(', ') || 'none'}; expected ${expected.join(', ') || 'none'}; threshold ${threshold})` };
  },
} satisfies Partial<Record<AssertionType, AssertionHandler>>;
