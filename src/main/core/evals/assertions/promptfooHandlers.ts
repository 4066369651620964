import sqlParser from 'node-sql-parser';
import type { AssertionType } from '../../../../shared/domain/evals';
import type { StopReason } from '../../../../shared/domain/generation';
import type { AssertionContext, AssertionHandler, HandlerResult } from './assertionHandlers';
import { COMPARE_PENDING } from './compareAssertions';
import { extractJsonValues, parseWholeJson, validateJsonSchema } from './json';
import { bleu, levenshtein, rougeN, wordCount } from './textMetrics';
import { hasElementPath, parseXml, xmlCandidates } from './xml';

/** promptfoo's deterministic checks beyond the basic set, with its defaults and semantics. */

function ok(pass: boolean, reason: string, score?: number): HandlerResult {
  return { pass, score: score ?? (pass ? 1 : 0), reason };
}

function skip(reason: string): HandlerResult {
  return { pass: false, score: 0, reason, skipped: reason };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** promptfoo's finish reasons (OpenAI's names) for Parity's stop reasons. */
const FINISH_REASON: Record<StopReason, string | null> = {
  eos: 'stop',
  'stop-sequence': 'stop',
  'max-tokens': 'length',
  'content-filter': 'content_filter',
  aborted: null,
  error: null,
  other: null,
};

function requiredElements(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text);
  if (value && typeof value === 'object' && Array.isArray((value as { requiredElements?: unknown }).requiredElements)) {
    return ((value as { requiredElements: unknown[] }).requiredElements).map(text);
  }
  if (typeof value === 'string' && value.trim()) return value.split(',').map((v) => v.trim());
  return [];
}

function checkXml(candidate: string, value: unknown): HandlerResult {
  const parsed = parseXml(candidate);
  if (!parsed.ok) return ok(false, `not well-formed XML: ${parsed.error}`);
  const missing = requiredElements(value).filter((path) => !hasElementPath(parsed.root, path));
  return missing.length ? ok(false, `XML is missing ${missing.join(', ')}`) : ok(true, 'well-formed XML');
}

interface SqlOptions {
  databaseType?: string;
  allowedTables?: string[];
  allowedColumns?: string[];
}

function checkSql(sql: string, value: unknown): HandlerResult {
  const opts: SqlOptions = value && typeof value === 'object' ? (value as SqlOptions) : {};
  const parser = new sqlParser.Parser();
  const database = opts.databaseType ?? 'MySQL';
  try {
    parser.astify(sql, { database });
  } catch (error) {
    return ok(false, `SQL does not parse (${database}): ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const problems: string[] = [];
  for (const [list, type] of [
    [opts.allowedTables, 'table'],
    [opts.allowedColumns, 'column'],
  ] as const) {
    if (!list) continue;
    const failure = parser.whiteListCheck(sql, list, { database, type });
    if (failure) problems.push(failure.message);
  }
  return problems.length ? ok(false, problems.join('; ')) : ok(true, `valid ${database} SQL`);
}

function sqlFrom(output: string): string {
  const fenced = /```(?:sql)?\s*\n([\s\S]*?)```/i.exec(output);
  return (fenced ? fenced[1]! : output).trim();
}

interface ToolDef {
  name: string;
  parameters?: unknown;
}

/** Tool definitions in OpenAI's shapes: `[{type: 'function', function: {...}}]` or `[{name, parameters}]`. */
function toolDefs(value: unknown): ToolDef[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { tools?: unknown }).tools) ? (value as { tools: unknown[] }).tools : [];
  return list.flatMap((t): ToolDef[] => {
    const f = t && typeof t === 'object' && 'function' in t ? (t as { function: unknown }).function : t;
    if (!f || typeof f !== 'object' || typeof (f as { name?: unknown }).name !== 'string') return [];
    return [{ name: (f as { name: string }).name, parameters: (f as { parameters?: unknown }).parameters }];
  });
}

interface Call {
  name: unknown;
  arguments: unknown;
}

function toolCalls(output: string): Call[] | null {
  const whole = parseWholeJson(output);
  const value = whole.ok ? whole.value : extractJsonValues(output)[0];
  if (value === undefined) return null;
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && Array.isArray((value as { tool_calls?: unknown }).tool_calls) ? (value as { tool_calls: unknown[] }).tool_calls : [value];
  return list.map((c) => {
    const f = c && typeof c === 'object' && 'function' in c ? (c as { function: unknown }).function : c;
    const o = (f && typeof f === 'object' ? f : {}) as { name?: unknown; arguments?: unknown };
    return { name: o.name, arguments: o.arguments };
  });
}

function checkCall(call: Call, tools: ToolDef[]): string | null {
  if (typeof call.name !== 'string') return 'a call has no function name';
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return `"${call.name}" is not one of the tools (${tools.map((t) => t.name).join(', ')})`;
  let args: unknown = call.arguments ?? {};
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args);
    } catch {
      return `the arguments of "${call.name}" are not JSON`;
    }
  }
  if (tool.parameters === undefined) return null;
  const { valid, errors } = validateJsonSchema(tool.parameters, args);
  return valid ? null : `the arguments of "${call.name}" do not match its parameters: ${errors}`;
}

function validCalls(ctx: AssertionContext, what: string): HandlerResult {
  // Without a value, the tools the request itself offered are the definitions.
  const tools = ctx.value === undefined && ctx.tools?.length ? [...ctx.tools] : toolDefs(ctx.value);
  if (tools.length === 0) return skip(`needs the tool definitions: give them as the assertion value or in the provider's config.${what === 'function' ? 'functions' : 'tools'}`);
  // A model that answered with real tool calls has them in its metrics (its text is often empty).
  const made = ctx.metrics.toolCalls;
  const calls = made && made.length > 0 ? made.map((c) => ({ name: c.name, arguments: c.rawArguments })) : toolCalls(ctx.output);
  if (!calls || calls.length === 0) return ok(false, `the output is not a ${what} call (no JSON found)`);
  const problems = calls.map((c) => checkCall(c, tools)).filter((p): p is string => p !== null);
  return problems.length ? ok(false, problems.join('; ')) : ok(true, `${calls.length} valid ${what} call${calls.length === 1 ? '' : 's'}`);
}

function numberOr(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
}

const NOT_HERE = {
  moderation: 'needs a moderation provider, which Parity does not call',
  python: 'python assertions run code on this machine and are not supported',
} as const;

export const PROMPTFOO_HANDLERS = {
  levenshtein: (ctx) => {
    const expected = text(ctx.value);
    const limit = ctx.threshold ?? 5;
    const distance = levenshtein(ctx.output, expected);
    return ok(distance <= limit, `Levenshtein distance ${distance} (limit ${limit})`);
  },
  'rouge-n': (ctx) => {
    const threshold = ctx.threshold ?? 0.75;
    const score = rougeN(ctx.output, text(ctx.value));
    return ok(score >= threshold, `ROUGE-N ${score.toFixed(2)} (threshold ${threshold})`, score);
  },
  bleu: (ctx) => {
    const threshold = ctx.threshold ?? 0.5;
    const refs = Array.isArray(ctx.value) ? ctx.value.map(text) : [text(ctx.value)];
    const score = bleu(ctx.output, refs);
    return ok(score >= threshold, `BLEU ${score.toFixed(4)} (threshold ${threshold})`, score);
  },
  'word-count': (ctx) => {
    const n = wordCount(ctx.output);
    const v = ctx.value;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const { min, max } = v as { min?: unknown; max?: unknown };
      const lo = min === undefined ? 0 : numberOr(min, 0);
      const hi = max === undefined ? Infinity : numberOr(max, Infinity);
      return ok(n >= lo && n <= hi, `${n} words (${min ?? 0}–${max ?? '∞'})`);
    }
    const want = numberOr(v, NaN);
    if (!Number.isFinite(want)) return ok(false, 'word-count needs a number or {min, max} as value');
    return ok(n === want, `${n} words (expected ${want})`);
  },
  'is-xml': (ctx) => checkXml(ctx.output, ctx.value),
  'contains-xml': (ctx) => {
    const candidates = xmlCandidates(ctx.output);
    if (candidates.length === 0) return ok(false, 'no XML element in the output');
    let last: HandlerResult = ok(false, 'no well-formed XML in the output');
    for (const c of candidates) {
      last = checkXml(c, ctx.value);
      if (last.pass) return ok(true, 'contains well-formed XML');
    }
    return last;
  },
  'is-sql': (ctx) => checkSql(ctx.output.trim(), ctx.value),
  'contains-sql': (ctx) => checkSql(sqlFrom(ctx.output), ctx.value),
  'finish-reason': (ctx) => {
    const expected = text(ctx.value).toLowerCase();
    const actual = FINISH_REASON[ctx.metrics.stopReason];
    if (actual === null) return skip(`the provider reported no finish reason (stop reason "${ctx.metrics.stopReason}")`);
    return ok(actual === expected, `finish reason "${actual}" (expected "${expected}")`);
  },
  'is-valid-openai-tools-call': (ctx) => validCalls(ctx, 'tool'),
  'is-valid-openai-function-call': (ctx) => validCalls(ctx, 'function'),
  // Judged across the case's outputs by the runner once they are all in (compareAssertions).
  'select-best': () => skip(COMPARE_PENDING),
  'max-score': () => skip(COMPARE_PENDING),
  moderation: () => skip(NOT_HERE.moderation),
  python: () => skip(NOT_HERE.python),
} satisfies Partial<Record<AssertionType, AssertionHandler>>;
