import { isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import { z } from 'zod';
import {
  AssertionSpecSchema,
  SuiteSpecSchema,
  VarValueSchema,
  type AssertionSpec,
  type EvalCaseSpec,
  type SuiteSpec,
} from '../../../../shared/domain/evals';
import { LocalParamsSchema, SamplingParamsSchema, type GenerationParams } from '../../../../shared/domain/generation';
import { fromZodIssue, suiteInvalid } from './suiteErrors';

/**
 * promptfoo's core config (description, prompts, providers, tests, defaultTest) ⇄ SuiteSpec.
 * Keys we do not use are ignored rather than rejected, so real promptfoo files import.
 */
const S = SamplingParamsSchema.shape;
const L = LocalParamsSchema.shape;
const ProviderConfigSchema = z.looseObject({
  temperature: S.temperature,
  max_tokens: S.maxTokens,
  top_p: S.topP,
  top_k: S.topK,
  min_p: S.minP,
  repeat_penalty: S.repeatPenalty,
  seed: S.seed,
  stop: S.stop,
  threads: L.threads,
  gpu_layers: L.gpuLayers,
  context_size: L.contextSize,
  chat_template: L.chatTemplate,
});
const ProviderSchema = z.union([
  z.string().min(3),
  z.looseObject({ id: z.string().min(3), label: z.string().optional(), config: ProviderConfigSchema.optional() }),
]);
const NotAFile = z.string().refine((s) => !s.startsWith('file://'), 'file:// references are not supported; paste the content inline');
const PromptSchema = z.union([
  NotAFile,
  z.looseObject({ raw: z.string().optional(), id: NotAFile.optional(), label: z.string().optional() }).refine((p) => p.raw ?? p.id, 'a prompt object needs `raw`'),
]);
const GraderSchema = z.union([z.string(), z.looseObject({ id: z.string() })]).transform((p) => normaliseProviderId(typeof p === 'string' ? p : p.id));
const AssertSchema = AssertionSpecSchema.extend({ provider: GraderSchema.optional() });
const TestOptionsSchema = z.looseObject({ provider: GraderSchema.optional() });
const TestSchema = z.looseObject({
  description: z.string().optional(),
  vars: z.record(z.string(), VarValueSchema).optional(),
  assert: z.array(AssertSchema).optional(),
  threshold: z.number().min(0).max(1).optional(),
  options: TestOptionsSchema.optional(),
  metadata: z.looseObject({ id: z.string().optional(), prompt: z.string().optional(), system: z.string().optional(), expected: z.string().optional() }).optional(),
});
export const PromptfooConfigSchema = z.looseObject({
  description: z.string().optional(),
  prompts: z.union([PromptSchema, z.array(PromptSchema).min(1)]).optional(),
  providers: z.union([ProviderSchema, z.array(ProviderSchema)]).optional(),
  defaultTest: TestSchema.optional(),
  tests: z.union([NotAFile, z.array(TestSchema).min(1, 'a suite needs at least one test')]),
});
type PromptfooConfig = z.infer<typeof PromptfooConfigSchema>;

/** promptfoo ids that carry an API flavour (`openai:chat:gpt-4o`) map to our `provider:model`. */
function normaliseProviderId(id: string): string {
  return id.replace(/^openai:(?:chat|responses):/, 'openai:').replace(/^anthropic:messages:/, 'anthropic:');
}

function paramsFromConfig(config: z.infer<typeof ProviderConfigSchema> | undefined): GenerationParams {
  if (!config) return {};
  const p: GenerationParams = {
    temperature: config.temperature,
    maxTokens: config.max_tokens,
    topP: config.top_p,
    topK: config.top_k,
    minP: config.min_p,
    repeatPenalty: config.repeat_penalty,
    seed: config.seed,
    stop: config.stop,
    threads: config.threads,
    gpuLayers: config.gpu_layers,
    contextSize: config.context_size,
    chatTemplate: config.chat_template,
  };
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as GenerationParams;
}

function lineFinder(doc: Document, counter: LineCounter): (path: PropertyKey[]) => number | null {
  return (path) => {
    // The deepest node that exists on the path: a missing field is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return null;
  };
}

function toCase(test: z.infer<typeof TestSchema>, index: number): EvalCaseSpec {
  const meta = test.metadata;
  return {
    id: meta?.id ?? `test-${index + 1}`,
    description: test.description,
    vars: test.vars ?? {},
    prompt: meta?.prompt,
    system: meta?.system,
    expected: meta?.expected,
    assert: (test.assert ?? []) as AssertionSpec[],
    threshold: test.threshold,
    options: test.options?.provider ? { provider: test.options.provider } : undefined,
  };
}

/**
 * Aliases are expanded by `toJS`, so a few lines of `&a [*b, *b, ...]` can expand to billions of
 * nodes ("billion laughs"). The yaml package stops at `maxAliasCount` with a ReferenceError; that is
 * a problem with the file, so it is reported like any other bad suite rather than as a crash.
 */
export const YAML_MAX_ALIAS_COUNT = 100;

function toPlain(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw suiteInvalid(
        'YAML',
        null,
        null,
        `the file expands its aliases (*name) more than ${YAML_MAX_ALIAS_COUNT} times, which is refused as a resource exhaustion attack (alias limit ${YAML_MAX_ALIAS_COUNT}). Write the repeated values out instead of nesting aliases.`,
      );
    }
    throw error;
  }
}

export function parsePromptfooYaml(content: string, name?: string): SuiteSpec {
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) throw suiteInvalid('YAML', syntax.linePos?.[0]?.line ?? null, null, syntax.message.split('\n')[0] ?? 'syntax error');
  const lineOf = lineFinder(doc, counter);
  const parsed = PromptfooConfigSchema.safeParse(toPlain(doc) ?? {});
  if (!parsed.success) throw fromZodIssue('YAML', parsed.error, lineOf);
  const config: PromptfooConfig = parsed.data;
  if (typeof config.tests === 'string') throw suiteInvalid('YAML', lineOf(['tests']), 'tests', 'file:// references are not supported');
  const prompts = config.prompts === undefined ? undefined : (Array.isArray(config.prompts) ? config.prompts : [config.prompts]).map((p) =>
    typeof p === 'string' ? { template: p } : { template: (p.raw ?? p.id)!, label: p.label },
  );
  const providers = config.providers === undefined ? [] : (Array.isArray(config.providers) ? config.providers : [config.providers]).map((p) =>
    typeof p === 'string' ? { id: normaliseProviderId(p), params: {} } : { id: normaliseProviderId(p.id), label: p.label, params: paramsFromConfig(p.config) },
  );
  const d = config.defaultTest;
  const spec = {
    name: name ?? config.description ?? 'Imported suite',
    description: config.description,
    prompts,
    providers,
    defaultTest: d ? { vars: d.vars ?? {}, assert: d.assert ?? [], threshold: d.threshold, options: d.options?.provider ? { provider: d.options.provider } : undefined } : undefined,
    cases: config.tests.map(toCase),
  };
  const checked = SuiteSpecSchema.safeParse(spec);
  if (!checked.success) {
    // Map our field names back to the file's: cases[i] is tests[i], providers keep their index.
    throw fromZodIssue('YAML', checked.error, (path) => lineOf(path[0] === 'cases' ? ['tests', ...path.slice(1)] : path));
  }
  return checked.data;
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
  };
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}

function clean<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}

export function toPromptfooYaml(spec: SuiteSpec): string {
  const config = clean({
    description: spec.description ?? spec.name,
    prompts: spec.prompts.map((p) =>
      p.system ? { raw: JSON.stringify([{ role: 'system', content: p.system }, { role: 'user', content: p.template }]), label: p.label } : p.label ? { raw: p.template, label: p.label } : p.template,
    ),
    providers: spec.providers.map((p) => {
      const config = configFromParams({ ...spec.defaultParams, ...p.params });
      return Object.keys(config).length || p.label ? clean({ id: p.id, label: p.label, config }) : p.id;
    }),
    defaultTest: spec.defaultTest ? clean({ ...spec.defaultTest, vars: Object.keys(spec.defaultTest.vars).length ? spec.defaultTest.vars : undefined }) : undefined,
    tests: spec.cases.map((c) =>
      clean({
        description: c.description,
        vars: Object.keys(c.vars).length ? c.vars : undefined,
        assert: c.assert,
        threshold: c.threshold,
        options: c.options,
        metadata: clean({ id: c.id, prompt: c.prompt, system: c.system, expected: c.expected }),
      }),
    ),
  });
  return stringify(config, { lineWidth: 0 });
}
