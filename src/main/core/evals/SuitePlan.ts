import type { AssertionSpec, RunCase, SuiteSpec } from '../../../shared/domain/evals';
import { ChatMessageSchema, type ChatMessage, type GenerationParams } from '../../../shared/domain/generation';
import { EVAL_DEFAULT_PARAMS, mergeParams } from '../../../shared/domain/generationDefaults';

/** One row of the run grid: a suite case rendered with one of the suite's prompts. */
export interface PlannedCase extends RunCase {
  messages: ChatMessage[];
  /** The rendered user prompt (for javascript assertions and the report). */
  prompt: string;
  assertions: AssertionSpec[];
  expected: string | undefined;
  threshold: number | undefined;
  grader: string | null;
}

/** `{{ name }}` substitution (promptfoo's nunjucks subset that suites actually use). Unknown vars render empty. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_m, name: string) => vars[name] ?? '');
}

function stringVars(vars: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]));
}

/** A prompt that is a JSON array of chat messages is rendered message by message. */
function renderMessages(template: string, system: string | undefined, vars: Record<string, string>): ChatMessage[] {
  const trimmed = template.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = ChatMessageSchema.array().min(1).safeParse(JSON.parse(trimmed));
      if (parsed.success) return parsed.data.map((m) => ({ role: m.role, content: renderTemplate(m.content, vars) }));
    } catch {
      // Not chat JSON: an ordinary prompt that starts with a bracket.
    }
  }
  const messages: ChatMessage[] = [];
  if (system) messages.push({ role: 'system', content: renderTemplate(system, vars) });
  messages.push({ role: 'user', content: renderTemplate(template, vars) });
  return messages;
}

/** Expands a suite into the grid rows, merging `defaultTest` into each case (case wins). */
export function planCases(spec: SuiteSpec): PlannedCase[] {
  const planned: PlannedCase[] = [];
  const defaults = spec.defaultTest;
  for (const c of spec.cases) {
    const vars = stringVars({ ...(defaults?.vars ?? {}), ...c.vars });
    const assertions = [...(defaults?.assert ?? []), ...c.assert];
    // A bare expected output with nothing else to check is an `equals` (promptfoo's __expected).
    if (assertions.length === 0 && c.expected !== undefined) assertions.push({ type: 'equals', value: c.expected });
    const prompts = c.prompt !== undefined ? [{ label: undefined, template: c.prompt, system: c.system }] : spec.prompts;
    prompts.forEach((p, i) => {
      const messages = renderMessages(p.template, c.system ?? p.system, vars);
      const label = prompts.length > 1 ? (p.label ?? `prompt ${i + 1}`) : (p.label ?? null);
      planned.push({
        caseId: prompts.length > 1 ? `${c.id}#${i + 1}` : c.id,
        description: c.description ?? null,
        promptLabel: label,
        vars,
        messages,
        prompt: messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n'),
        assertions,
        expected: c.expected,
        threshold: c.threshold ?? defaults?.threshold,
        grader: c.options?.provider ?? defaults?.options?.provider ?? null,
      });
    });
  }
  return planned;
}

/**
 * Parameters for one model: the eval defaults (greedy, 512 tokens), the suite defaults, then the
 * suite's entry for that model, then the run's (identical for all).
 */
export function paramsFor(spec: SuiteSpec, modelId: string, runParams: GenerationParams): GenerationParams {
  const own = spec.providers.find((p) => p.id === modelId)?.params ?? commonParams(spec);
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
