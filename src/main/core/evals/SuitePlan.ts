import { modelRefOf, providerFor, type AssertionSpec, type RunCase, type SuiteSpec } from '../../../shared/domain/evals';

// The run identity of a suite provider is shared with the renderer (the run dialog lists it).
export { modelRefOf, providerFor, providerKey, providerKeys } from '../../../shared/domain/evals';
import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';
import { EVAL_DEFAULT_PARAMS, mergeParams } from '../../../shared/domain/generationDefaults';
import type { ScriptSandbox } from '../sandbox/ScriptSandbox';
import { resolveFilterCalls, type FilterCalls, type ResolveFilterOptions } from './templates/filterCalls';
import { chatMessages, TemplateRenderer, type TemplateOptions, type TemplateVars } from './templates/promptTemplate';

/** One row of the run grid: a suite case rendered with one of the suite's prompts. */
export interface PlannedCase extends RunCase {
  /** The suite case this row renders: rows of one test (one per prompt) share it. */
  testId: string;
  messages: ChatMessage[];
  /** The rendered user prompt (for javascript assertions and the report). */
  prompt: string;
  assertions: AssertionSpec[];
  expected: string | undefined;
  threshold: number | undefined;
  grader: string | null;
  /** Sandboxed code applied to the output before the assertions (case, else defaultTest). */
  transform?: string;
  /** Only these providers (id or label) run this row; absent = all. */
  providers?: string[];
  /** Tool name → the result the model is given when it calls that tool. */
  mockToolResults?: Record<string, unknown>;
}

function templateOptions(spec: Pick<SuiteSpec, 'env' | 'nunjucksFilters'> | undefined, calls: FilterCalls | undefined): TemplateOptions {
  return { env: spec?.env, filters: Object.keys(spec?.nunjucksFilters ?? {}), ...(calls ? { calls } : {}) };
}

/** What the run grid shows for a var: objects and lists as their JSON text. */
function displayVars(vars: TemplateVars): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Suites stored before templates were Nunjucks only ever used `{{ name }}`; they still plan. */
function legacyRender(template: string, vars: TemplateVars): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) => (vars[name] === undefined ? '' : String(vars[name])));
}

/** A prompt rendered as promptfoo does; a rendered JSON array of messages becomes a chat. */
function renderMessages(template: string, system: string | undefined, vars: TemplateVars, renderer: TemplateRenderer, strict: boolean): ChatMessage[] {
  let rendered: string;
  let systemText: string | undefined;
  try {
    rendered = renderer.prompt(template, vars);
    systemText = system === undefined ? undefined : renderer.text(system, vars);
  } catch (error) {
    if (strict) throw error;
    rendered = legacyRender(template, vars);
    systemText = system === undefined ? undefined : legacyRender(system, vars);
  }
  const chat = chatMessages(rendered);
  if (chat) return chat;
  const messages: ChatMessage[] = [];
  if (systemText) messages.push({ role: 'system', content: systemText });
  messages.push({ role: 'user', content: rendered });
  return messages;
}

export interface PlanOptions {
  /** Throw SUITE_INVALID on a template that does not render (imports check this) instead of falling back. */
  strict?: boolean;
  /** Results of the suite's custom filters (see planCasesForRun); without them the filters pass values through. */
  filterCalls?: FilterCalls;
}

/**
 * Expands a suite into the grid rows, merging `defaultTest` into each case (case wins). A case's
 * `prompts` filter keeps only the prompts it names (by label); the row ids keep the prompt's
 * position in the suite so they stay stable.
 */
export function planCases(spec: SuiteSpec, { strict = false, filterCalls }: PlanOptions = {}): PlannedCase[] {
  const planned: PlannedCase[] = [];
  const defaults = spec.defaultTest;
  // One renderer for the whole grid: each template is compiled once, not once per case.
  const renderer = new TemplateRenderer(templateOptions(spec, filterCalls));
  for (const c of spec.cases) {
    const vars: TemplateVars = { ...(defaults?.vars ?? {}), ...c.vars };
    const assertions = [...(defaults?.assert ?? []), ...c.assert];
    // A bare expected output with nothing else to check is an `equals` (promptfoo's __expected).
    if (assertions.length === 0 && c.expected !== undefined) assertions.push({ type: 'equals', value: c.expected });
    const prompts = c.prompt !== undefined ? [{ label: undefined, template: c.prompt, system: c.system }] : spec.prompts;
    prompts.forEach((p, i) => {
      if (c.prompt === undefined && c.prompts && !c.prompts.some((name) => name === p.label || name === p.source)) return;
      const messages = renderMessages(p.template, c.system ?? p.system, vars, renderer, strict);
      const label = prompts.length > 1 ? (p.label ?? `prompt ${i + 1}`) : (p.label ?? null);
      const transform = c.transform ?? defaults?.transform;
      planned.push({
        caseId: prompts.length > 1 ? `${c.id}#${i + 1}` : c.id,
        testId: c.id,
        description: c.description ?? null,
        promptLabel: label,
        vars: displayVars(vars),
        messages,
        prompt: messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n'),
        assertions,
        expected: c.expected,
        threshold: c.threshold ?? defaults?.threshold,
        grader: c.options?.provider ?? defaults?.options?.provider ?? null,
        ...(transform !== undefined ? { transform } : {}),
        ...(c.providers ? { providers: c.providers } : {}),
        ...(c.mockToolResults ? { mockToolResults: c.mockToolResults } : {}),
      });
    });
  }
  return planned;
}

/**
 * The grid a run sends: as planCases, with the suite's custom Nunjucks filters run in the sandbox
 * (never in Node) on every value the templates give them. Throws SUITE_INVALID naming a filter
 * whose code fails on a value the prompts use.
 */
export function planCasesForRun(spec: SuiteSpec, sandbox: ScriptSandbox, options: ResolveFilterOptions = {}): Promise<PlannedCase[]> {
  return resolveFilterCalls(spec.nunjucksFilters, (filterCalls) => planCases(spec, filterCalls ? { filterCalls } : {}), sandbox, options);
}

/** A filter name matches exactly, or with `*` standing for any text (promptfoo's `openai:*`). */
function namesMatch(pattern: string, candidate: string): boolean {
  // Greedy wildcard matching with one backtrack point: linear-ish, unlike a regex built from suite text.
  let p = 0;
  let c = 0;
  let star = -1;
  let mark = 0;
  while (c < candidate.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === candidate[c]) {
      p++;
      c++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = c;
    } else if (star >= 0) {
      p = star + 1;
      c = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * Whether a row runs on a model: the case's `providers` filter and the provider's own `prompts`
 * filter (promptfoo's `provider.prompts`) both name things by id or label.
 */
export function runsOn(spec: SuiteSpec, pc: PlannedCase, modelId: string): boolean {
  const provider = providerFor(spec, modelId);
  const ref = modelRefOf(spec, modelId);
  // A model from outside the suite (`--models`) is not named by the suite's filters: it runs every row.
  if (provider && pc.providers && !pc.providers.some((name) => [modelId, ref, provider.label].some((c) => c !== undefined && namesMatch(name, c)))) return false;
  if (provider?.prompts && pc.promptLabel !== null && !provider.prompts.includes(pc.promptLabel)) return false;
  return true;
}

/**
 * Parameters for one model: the eval defaults (greedy, 512 tokens), the suite defaults, then the
 * suite's entry for that model, then the run's (identical for all).
 */
export function paramsFor(spec: SuiteSpec, modelId: string, runParams: GenerationParams): GenerationParams {
  const own = providerFor(spec, modelId)?.params ?? commonParams(spec);
  return mergeParams(EVAL_DEFAULT_PARAMS, spec.defaultParams, own, runParams);
}

/**
 * A model from outside the suite (`--models`) gets the parameters every suite provider agrees
 * on, so overriding the models keeps temperature, seed and max tokens identical.
 */
function commonParams(spec: SuiteSpec): GenerationParams {
  const [first, ...rest] = spec.providers;
  if (!first) return {};
  const common: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first.params)) {
    if (rest.every((p) => JSON.stringify((p.params as Record<string, unknown>)[key]) === JSON.stringify(value))) common[key] = value;
  }
  return common as GenerationParams;
}
