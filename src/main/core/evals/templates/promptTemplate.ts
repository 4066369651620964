
import { AppError } from '../../../../shared/errors';
import { ChatRoleSchema, type ChatMessage } from '../../../../shared/domain/generation';
import type { FilterCalls } from './filterCalls';
import { budgetedRange, createTemplateEnvironment, nunjucks } from './safeNunjucks';

export type TemplateVars = Record<string, unknown>;

export interface TemplateOptions {
  /** The suite's `env` block, visible as `env.NAME` (never the process environment). */
  env?: Record<string, string>;
  /** Custom filter names from the suite. */
  filters?: readonly string[];
  /**
   * Their results, computed in the sandbox before the render (Nunjucks filters are synchronous,
   * suite code runs only in the asynchronous sandbox). Without it a custom filter passes its
   * input through: an import checks templates that way, a run resolves the calls first.
   */
  calls?: FilterCalls;
}

/** One environment per filter set: building one compiles nothing, but filters are global to it. */
function environment(options: TemplateOptions): nunjucks.Environment {
  const env = createTemplateEnvironment();
  const calls = options.calls;
  for (const name of options.filters ?? []) env.addFilter(name, (value: unknown, ...args: unknown[]) => (calls ? calls.apply(name, value, args) : value));
  env.addGlobal('env', { ...(options.env ?? {}) });
  return env;
}

/**
 * promptfoo's var preparation: a trailing newline is dropped from each string var (a footgun in
 * JSON prompts), then `{{other}}` inside a var is replaced by that var, up to five rounds.
 */
export function prepareVars(vars: TemplateVars): TemplateVars {
  const out: TemplateVars = {};
  for (const [k, v] of Object.entries(vars)) out[k] = typeof v === 'string' ? v.replace(/\n$/, '') : v;
  const ref = /\{\{\s*(\w+)\s*\}\}/;
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const key of Object.keys(out)) {
      const value = out[key];
      if (typeof value !== 'string') continue;
      const m = ref.exec(value);
      if (!m || out[m[1]!] === undefined) continue;
      const replacement = out[m[1]!];
      out[key] = value.replace(m[0], typeof replacement === 'string' ? replacement : JSON.stringify(replacement));
      changed = true;
    }
    if (!changed) break;
  }
  return out;
}

function renderValue(render: (text: string) => string, value: unknown): unknown {
  if (typeof value === 'string') return render(value);
  if (Array.isArray(value)) return value.map((v) => renderValue(render, v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(render, v)]));
  return value;
}

function templateError(template: string, error: unknown): AppError {
  const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
  return new AppError('SUITE_INVALID', `The prompt template could not be rendered: ${message}`, { template: template.slice(0, 200) });
}

/**
 * Renders many templates with one environment, each template compiled once: planning a suite
 * renders every prompt for every case, and building an environment and compiling the same text
 * thousands of times dominated an import.
 */
export class TemplateRenderer {
  readonly #env: nunjucks.Environment;
  readonly #compiled = new Map<string, nunjucks.Template>();

  constructor(options: TemplateOptions = {}) {
    this.#env = environment(options);
  }

  #render(template: string, vars: TemplateVars): string {
    let compiled = this.#compiled.get(template);
    if (!compiled) {
      compiled = new nunjucks.Template(template, this.#env, undefined, true);
      this.#compiled.set(template, compiled);
    }
    // range() gets a fresh budget for each render; a var named `range` wins, as over any global.
    return compiled.render({ range: budgetedRange(), ...vars });
  }

  /**
   * Renders a prompt as promptfoo does: a template that is valid JSON has each string inside it
   * rendered (so quotes in vars cannot break the JSON); anything else is one Nunjucks template.
   * Throws SUITE_INVALID naming the template on a syntax error.
   */
  prompt(template: string, vars: TemplateVars): string {
    const prepared = prepareVars(vars);
    let json: unknown;
    try {
      json = JSON.parse(template);
    } catch {
      json = undefined;
    }
    try {
      if (json !== undefined && typeof json === 'object' && json !== null) return JSON.stringify(renderValue((t) => this.#render(t, prepared), json), null, 2);
      return this.#render(template, prepared);
    } catch (error) {
      throw templateError(template, error);
    }
  }

  /** One Nunjucks string (a system prompt, an assertion value) with the same vars and options. */
  text(template: string, vars: TemplateVars): string {
    try {
      return this.#render(template, prepareVars(vars));
    } catch (error) {
      throw templateError(template, error);
    }
  }
}

/** One prompt, rendered with a renderer of its own (see TemplateRenderer to render many). */
export function renderPrompt(template: string, vars: TemplateVars, options: TemplateOptions = {}): string {
  return new TemplateRenderer(options).prompt(template, vars);
}

/** One text, rendered with a renderer of its own. */
export function renderText(template: string, vars: TemplateVars, options: TemplateOptions = {}): string {
  return new TemplateRenderer(options).text(template, vars);
}

/**
 * A rendered prompt that is a JSON array of `{role, content}` is a chat (promptfoo's chat
 * format); anything else is one user message. Non-string content is sent as its JSON text.
 */
export function chatMessages(rendered: string): ChatMessage[] | null {
  const trimmed = rendered.trim();
  if (!trimmed.startsWith('[')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const m of parsed) {
    if (!m || typeof m !== 'object') return null;
    const { role, content } = m as { role?: unknown; content?: unknown };
    const r = ChatRoleSchema.safeParse(role === 'developer' ? 'system' : role);
    if (!r.success || content === undefined) return null;
    messages.push({ role: r.data, content: typeof content === 'string' ? content : JSON.stringify(content) });
  }
  return messages;
}
