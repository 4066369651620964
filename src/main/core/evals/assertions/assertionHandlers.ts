import type { AssertionSpec, AssertionType } from '../../../../shared/domain/evals';
import type { ChatMessage, GenerationMetrics } from '../../../../shared/domain/generation';
import type { ToolDefinition } from '../../../../shared/domain/structured';
import { SandboxError, type ScriptSandbox } from '../../sandbox/ScriptSandbox';
import { extractJsonValues, parseWholeJson, validateJsonSchema } from './json';
import { CONTEXT_HANDLERS } from './contextHandlers';
import { PROMPTFOO_HANDLERS } from './promptfooHandlers';
import { TOOL_CALL_HANDLERS } from './toolCallHandlers';
import { isRefusal } from './refusal';
import { parseRubricReply, rubricMessages } from './rubric';

/** Turns texts into embedding vectors (a local embedding model, injected by the app). */
export type EmbedFunction = (texts: string[], options?: { signal?: AbortSignal; model?: string | null }) => Promise<number[][]>;

/** Runs one grading prompt and returns the full reply (wraps GenerationService). */
export type GradeFunction = (ref: string, messages: ChatMessage[], options?: { signal?: AbortSignal }) => Promise<string>;

export interface AssertionContext {
  output: string;
  /** What a transform returned when it is not text (an object, a list); `output` is then its JSON. */
  outputValue?: unknown;
  /** The assertion's value; `expected` of the case when the assertion gave none. */
  value: unknown;
  threshold: number | undefined;
  vars: Record<string, string>;
  prompt: string;
  metrics: GenerationMetrics;
  /** The tools the request offered: the definitions tool-call assertions check against when their value gives none. */
  tools?: readonly ToolDefinition[];
  /** Grader ref for llm-rubric (assertion → case → suite → run). */
  grader: string | null;
  /** Embedding model ref for similar (assertion → run). */
  embeddingModel: string | null;
  grade: GradeFunction | null;
  embed: EmbedFunction | null;
  /** The isolate that runs suite code (javascript assertions, regexes). */
  sandbox: ScriptSandbox;
  jsTimeoutMs: number;
  signal?: AbortSignal;
  /** Scores a group of assertions as one (assert-set), with the same output and context. */
  group?: (specs: readonly AssertionSpec[], threshold: number | undefined) => Promise<HandlerResult>;
}

export interface HandlerResult {
  pass: boolean;
  score: number;
  reason: string;
  /** Why the assertion could not be evaluated here; it then counts neither for nor against the case. */
  skipped?: string;
}

export type AssertionHandler = (ctx: AssertionContext) => HandlerResult | Promise<HandlerResult>;

function ok(pass: boolean, reason: string): HandlerResult {
  return { pass, score: pass ? 1 : 0, reason };
}

function asString(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `contains-any` takes a list or a comma-separated string (as promptfoo does). */
function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asString);
  const s = asString(value);
  return s.length ? s.split(',').map((x) => x.trim()).filter(Boolean) : [];
}

function sandboxReason(error: unknown): string {
  if (error instanceof SandboxError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function preview(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

function containsList(ctx: AssertionContext, mode: 'any' | 'all', ignoreCase: boolean): HandlerResult {
  const items = asList(ctx.value);
  if (items.length === 0) return ok(false, 'no values given to look for');
  const hay = ignoreCase ? ctx.output.toLowerCase() : ctx.output;
  const hits = items.filter((item) => hay.includes(ignoreCase ? item.toLowerCase() : item));
  const pass = mode === 'any' ? hits.length > 0 : hits.length === items.length;
  const missing = items.filter((i) => !hits.includes(i));
  return ok(pass, pass ? `found ${hits.map(preview).join(', ')}` : mode === 'any' ? `none of ${items.map(preview).join(', ')} found` : `missing ${missing.map(preview).join(', ')}`);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export { cosine as cosineSimilarity };

function jsonSchemaCheck(ctx: AssertionContext, value: unknown, what: string): HandlerResult {
  if (ctx.value === undefined || ctx.value === '') return ok(true, `${what} is valid JSON`);
  const { valid, errors } = validateJsonSchema(ctx.value, value);
  return ok(valid, valid ? `${what} matches the schema` : `${what} does not match the schema: ${errors}`);
}

/**
 * One handler per assertion type. Typed as a Record over the zod enum, so a type added to the
 * enum without a handler here fails `tsc`.
 */
export const ASSERTION_HANDLERS: Record<AssertionType, AssertionHandler> = {
  equals: (ctx) => {
    const expected = asString(ctx.value);
    const pass = ctx.output.trim() === expected.trim();
    return ok(pass, pass ? 'output equals the expected text' : `expected ${preview(expected)}, got ${preview(ctx.output.trim())}`);
  },
  contains: (ctx) => {
    const needle = asString(ctx.value);
    const pass = ctx.output.includes(needle);
    return ok(pass, `${pass ? 'contains' : 'does not contain'} ${preview(needle)}`);
  },
  icontains: (ctx) => {
    const needle = asString(ctx.value);
    const pass = ctx.output.toLowerCase().includes(needle.toLowerCase());
    return ok(pass, `${pass ? 'contains' : 'does not contain'} ${preview(needle)} (ignoring case)`);
  },
  'contains-any': (ctx) => containsList(ctx, 'any', false),
  'contains-all': (ctx) => containsList(ctx, 'all', false),
  'icontains-any': (ctx) => containsList(ctx, 'any', true),
  'icontains-all': (ctx) => containsList(ctx, 'all', true),
  regex: async (ctx) => {
    const pattern = asString(ctx.value);
    try {
      new RegExp(pattern);
    } catch (error) {
      return ok(false, `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Matched in the sandbox with its time limit: a pattern that backtracks catastrophically
    // (e.g. (a+)+$) fails this assertion instead of freezing the app.
    let pass;
    try {
      pass = await ctx.sandbox.testRegex(pattern, '', ctx.output, { timeoutMs: ctx.jsTimeoutMs, signal: ctx.signal });
    } catch (error) {
      return ok(false, `regular expression /${pattern}/ could not be evaluated: ${sandboxReason(error)}`);
    }
    return ok(pass, `${pass ? 'matches' : 'does not match'} /${pattern}/`);
  },
  'starts-with': (ctx) => {
    const prefix = asString(ctx.value);
    const pass = ctx.output.trimStart().startsWith(prefix);
    return ok(pass, `${pass ? 'starts' : 'does not start'} with ${preview(prefix)}`);
  },
  'is-json': (ctx) => {
    const parsed = parseWholeJson(ctx.output);
    if (!parsed.ok) return ok(false, 'output is not valid JSON');
    return jsonSchemaCheck(ctx, parsed.value, 'output');
  },
  'contains-json': (ctx) => {
    const values = extractJsonValues(ctx.output);
    if (values.length === 0) return ok(false, 'output contains no JSON value');
    if (ctx.value === undefined || ctx.value === '') return ok(true, 'output contains JSON');
    for (const v of values) if (validateJsonSchema(ctx.value, v).valid) return ok(true, 'output contains JSON matching the schema');
    return ok(false, `no JSON in the output matches the schema: ${validateJsonSchema(ctx.value, values[0]).errors}`);
  },
  'is-valid-json-schema': (ctx) => {
    const parsed = parseWholeJson(ctx.output);
    if (!parsed.ok) return ok(false, 'output is not valid JSON');
    if (ctx.value === undefined) return ok(false, 'no JSON Schema given as value');
    return jsonSchemaCheck(ctx, parsed.value, 'output');
  },
  'json-schema': (ctx) => ASSERTION_HANDLERS['is-valid-json-schema'](ctx),
  javascript: async (ctx) => {
    const code = asString(ctx.value);
    if (!code.trim()) return ok(false, 'no JavaScript expression given');
    let value;
    try {
      // Plain data only: the output parsed as JSON (null when it is not) and the tool calls the model made.
      const parsed = parseWholeJson(ctx.output);
      const data = { vars: ctx.vars, prompt: ctx.prompt, metrics: ctx.metrics, json: parsed.ok ? parsed.value : null, toolCalls: ctx.metrics.toolCalls ?? [] };
      // After a transform that returned data (`JSON.parse(output)`), the code sees that data, as in promptfoo.
      value = await ctx.sandbox.run(code, ctx.outputValue !== undefined ? ctx.outputValue : ctx.output, data, { timeoutMs: ctx.jsTimeoutMs, signal: ctx.signal });
    } catch (error) {
      return ok(false, `JavaScript assertion failed: ${sandboxReason(error)}`);
    }
    if (typeof value === 'boolean') return ok(value, `expression returned ${value}`);
    if (typeof value === 'number') {
      const threshold = ctx.threshold ?? 0.5;
      return { pass: value >= threshold, score: Math.max(0, Math.min(1, value)), reason: `score ${value} (threshold ${threshold})` };
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const pass = Boolean(value.pass);
      const score = typeof value.score === 'number' ? value.score : pass ? 1 : 0;
      return { pass, score, reason: typeof value.reason === 'string' ? value.reason : `returned pass=${pass}` };
    }
    return ok(false, `expression returned ${JSON.stringify(value) ?? 'undefined'}; return a boolean, a number or {pass, score, reason}`);
  },
  latency: (ctx) => {
    const limit = Number(ctx.threshold ?? ctx.value);
    if (!Number.isFinite(limit)) return ok(false, 'latency needs a threshold in milliseconds');
    const pass = ctx.metrics.totalMs <= limit;
    return ok(pass, `took ${Math.round(ctx.metrics.totalMs)} ms (limit ${limit} ms)`);
  },
  cost: (ctx) => {
    const limit = Number(ctx.threshold ?? ctx.value);
    if (!Number.isFinite(limit)) return ok(false, 'cost needs a threshold in USD');
    // On this device nothing is billed; a remote call with unknown cost cannot be said to be under.
    const cost = ctx.metrics.costUsd ?? (ctx.metrics.host === null ? 0 : null);
    if (cost === null) return ok(false, 'cost is unknown for this model (no price configured)');
    return ok(cost <= limit, `cost $${cost.toFixed(6)} (limit $${limit})`);
  },
  'is-refusal': (ctx) => {
    const refused = isRefusal(ctx.output);
    return ok(refused, refused ? 'output is a refusal' : 'output is not a refusal');
  },
  'llm-rubric': async (ctx) => {
    const rubric = asString(ctx.value);
    if (!ctx.grader || !ctx.grade) {
      // Not the model's fault: the cell says so and the case is scored on its other assertions.
      const why = 'needs a grader model (no grader model set: choose one in Settings, pass --grader, or set `provider` on the assertion)';
      return { pass: false, score: 0, reason: why, skipped: why };
    }
    let reply: string;
    try {
      reply = await ctx.grade(ctx.grader, rubricMessages(rubric, ctx.output, ctx.vars), { signal: ctx.signal });
    } catch (error) {
      return ok(false, `grader ${ctx.grader} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verdict = parseRubricReply(reply);
    if (!verdict) return ok(false, `could not read the grader's verdict: ${preview(reply)}`);
    const pass = ctx.threshold === undefined ? verdict.pass : verdict.score >= ctx.threshold;
    return { pass, score: verdict.score, reason: verdict.reason || `graded by ${ctx.grader}` };
  },
  // promptfoo's G-Eval asks the grader for a score against criteria; Parity grades it as a rubric.
  'g-eval': (ctx) => ASSERTION_HANDLERS['llm-rubric']({ ...ctx, threshold: ctx.threshold ?? 0.7 }),
  'assert-set': async (ctx) => {
    if (!Array.isArray(ctx.value) || !ctx.group) return ok(false, 'assert-set needs a list of assertions as `assert`');
    return ctx.group(ctx.value as AssertionSpec[], ctx.threshold);
  },
  ...PROMPTFOO_HANDLERS,
  ...CONTEXT_HANDLERS,
  ...TOOL_CALL_HANDLERS,
  similar: async (ctx) => {
    const expected = asString(ctx.value);
    // Like a rubric without a grader: a missing embedding model is not the answer's fault.
    const noModel = (detail: string): HandlerResult => {
      const why = `needs an embedding model (${detail}; set \`provider: local:<model>\` on the assertion or pass --embedding-model)`;
      return { pass: false, score: 0, reason: why, skipped: why };
    };
    if (!ctx.embed) return noModel('none is configured');
    const threshold = ctx.threshold ?? 0.75;
    let vectors: number[][];
    try {
      vectors = await ctx.embed([expected, ctx.output], { signal: ctx.signal, model: ctx.embeddingModel });
    } catch (error) {
      // The embedder refuses to guess a model: with none named, that is a missing setting, not a failure.
      if (!ctx.embeddingModel) return noModel('none named');
      return ok(false, `embedding failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const [a, b] = vectors;
    const score = cosine(a ?? [], b ?? []);
    return { pass: score >= threshold, score, reason: `cosine similarity ${score.toFixed(3)} (threshold ${threshold})` };
  },
};
