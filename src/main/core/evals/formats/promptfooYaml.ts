import { stringify } from 'yaml';
import type { AssertionSpec, SuiteSpec } from '../../../../shared/domain/evals';
import type { GenerationParams } from '../../../../shared/domain/generation';
import { loadPromptfooConfig } from '../promptfoo/loadPromptfooConfig';

/**
 * promptfoo configs ⇄ SuiteSpec. Reading is loadPromptfooConfig's (files, templates, matrix,
 * warnings); pasted text has no folder, so its `file://` references are reported as problems.
 */
export function parsePromptfooYaml(content: string, name?: string, baseDir: string | null = null): SuiteSpec {
  return loadPromptfooConfig(content, { name, baseDir }).spec;
}

function configFromParams(p: GenerationParams): Record<string, unknown> {
  const c: Record<string, unknown> = {
    temperature: p.temperature,
    max_tokens: p.maxTokens,
    top_p: p.topP,
    top_k: p.topK,
    min_p: p.minP,
    repeat_penalty: p.repeatPenalty,
    seed: p.seed,
    stop: p.stop,
    threads: p.threads,
    gpu_layers: p.gpuLayers,
    context_size: p.contextSize,
    chat_template: p.chatTemplate,
    // Written back in OpenAI's shapes, which the import reads.
    response_format:
      p.responseFormat === undefined
        ? undefined
        : p.responseFormat === 'text' || p.responseFormat === 'json'
          ? { type: p.responseFormat === 'json' ? 'json_object' : 'text' }
          : { type: 'json_schema', json_schema: { name: p.responseFormat.name ?? 'response', schema: p.responseFormat.jsonSchema } },
    tools: p.tools?.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.parameters } })),
    tool_choice: p.toolChoice === undefined ? undefined : typeof p.toolChoice === 'string' ? p.toolChoice : { type: 'function', function: { name: p.toolChoice.name } },
  };
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

function clean<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

/** assert-set keeps its members under `assert`, as promptfoo writes it. */
function exportAssertion(a: AssertionSpec): Record<string, unknown> {
  if (a.type !== 'assert-set' || !Array.isArray(a.value)) return a;
  const { value, ...rest } = a;
  return { ...rest, assert: (value as AssertionSpec[]).map(exportAssertion) };
}

function exportOptions(options: { provider?: string } | undefined, transform: string | undefined): Record<string, unknown> | undefined {
  const o = clean({ ...(options ?? {}), transform });
  return Object.keys(o).length ? o : undefined;
}

export function toPromptfooYaml(spec: SuiteSpec): string {
  const d = spec.defaultTest;
  const config = clean({
    description: spec.description ?? spec.name,
    prompts: spec.prompts.map((p) =>
      p.system ? { raw: JSON.stringify([{ role: 'system', content: p.system }, { role: 'user', content: p.template }]), label: p.label } : p.label ? { raw: p.template, label: p.label } : p.template,
    ),
    providers: spec.providers.map((p) => {
      const config = configFromParams({ ...spec.defaultParams, ...p.params });
      return Object.keys(config).length || p.label || p.prompts ? clean({ id: p.id, label: p.label, config, prompts: p.prompts }) : p.id;
    }),
    env: spec.env,
    defaultTest: d
      ? clean({ vars: Object.keys(d.vars).length ? d.vars : undefined, assert: d.assert.map(exportAssertion), threshold: d.threshold, options: exportOptions(d.options, d.transform) })
      : undefined,
    tests: spec.cases.map((c) =>
      clean({
        description: c.description,
        vars: Object.keys(c.vars).length ? c.vars : undefined,
        assert: c.assert.map(exportAssertion),
        threshold: c.threshold,
        options: exportOptions(c.options, c.transform),
        providers: c.providers,
        prompts: c.prompts,
        metadata: clean({ id: c.id, prompt: c.prompt, system: c.system, expected: c.expected }),
      }),
    ),
  });
  return stringify(config, { lineWidth: 0 });
}
