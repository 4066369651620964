import { z } from 'zod';
import { LocalParamsSchema, SamplingParamsSchema, type GenerationParams } from '../../../../shared/domain/generation';
import { compatRef, format as formatRef } from '../../../../shared/domain/modelRef';
import { StructuredParamsSchema } from '../../../../shared/domain/structured';
import { COMPAT_PRESETS } from '../../providers/compat/presets';
import { google } from '../../providers/google/definition';
import { cloudDefinitions } from '../../providers/registry';
import type { ConfigPath, ImportReport } from './importReport';

/**
 * promptfoo provider ids → Parity model refs. OpenAI-compatible services map onto the compat
 * endpoint of the same preset (`groq:llama-3.1-8b` → `compat:groq/llama-3.1-8b`), whose key comes
 * from the service's usual environment variable or Settings → Providers.
 */
const COMPAT_ALIASES: Record<string, string> = {
  ollama: 'ollama',
  openrouter: 'openrouter',
  groq: 'groq',
  deepseek: 'deepseek',
  mistral: 'mistral',
  togetherai: 'together',
  together: 'together',
  fireworks: 'fireworks',
  lmstudio: 'lmstudio',
  vllm: 'vllm',
  'llama.cpp': 'llamacpp',
  llamacpp: 'llamacpp',
  azure: 'azure',
  azureopenai: 'azure',
};

/** The model part after a promptfoo API flavour (`ollama:chat:llama3` → `llama3`). */
function stripFlavour(rest: string): string {
  return rest.replace(/^(?:chat|completion|messages|responses):/, '');
}

export type MappedProvider = { ok: true; ref: string; note: string | null } | { ok: false; reason: string };

export function mapProviderId(id: string): MappedProvider {
  if (id === 'echo') return { ok: true, ref: 'echo:echo', note: null };
  if (id.startsWith('file://') || /^(?:exec|python|golang|ruby|script):/.test(id)) return { ok: false, reason: `${id} runs code from the suite to answer, which Parity does not do` };
  if (/^https?:/.test(id) || id === 'http' || id === 'https' || id === 'websocket') return { ok: false, reason: `${id}: custom HTTP providers are not supported; add the server as an OpenAI-compatible endpoint and use compat:<endpoint>/<model>` };
  const colon = id.indexOf(':');
  if (colon < 0) return { ok: false, reason: `"${id}" is not a provider id; write provider:model, e.g. openai:gpt-4o-mini` };
  const provider = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (/^(?:embedding|embeddings):/.test(rest)) return { ok: false, reason: `${id} is an embedding model, not a chat model; use it as \`similar\`'s provider (or --embedding-model), not under providers` };
  const cloud = cloudDefinitions().find((d) => d.promptfooIds.includes(provider));
  if (cloud) return { ok: true, ref: formatRef(cloud.id, stripFlavour(rest)), note: null };
  if (provider === 'vertex') {
    return { ok: false, reason: `${id}: Vertex AI is not supported; use ${formatRef(google.id, stripFlavour(rest))} with a Gemini API key (${google.keyEnv}), or add Vertex's OpenAI-compatible endpoint under Settings → Providers` };
  }
  const endpoint = COMPAT_ALIASES[provider];
  if (endpoint) {
    const model = stripFlavour(rest);
    const preset = COMPAT_PRESETS.find((p) => p.id === endpoint);
    // A configured endpoint of that name wins; else the preset is used as is (ProviderConfig).
    const how = preset
      ? `the "${endpoint}" endpoint of Settings → Providers if there is one, else the ${preset.label} preset at ${preset.baseUrlEnv ? `${preset.baseUrlEnv} or ` : ''}${preset.baseUrl}${preset.keyEnv ? ` with the key in ${preset.keyEnv} (without it the model is not available)` : ''}`
      : `the OpenAI-compatible endpoint named "${endpoint}" (add it with your deployment's base URL in Settings → Providers or a --providers file)`;
    const ref = compatRef(endpoint, model);
    return { ok: true, ref, note: `${id} runs as ${ref} on ${how}` };
  }
  return { ok: true, ref: id, note: null };
}

const S = SamplingParamsSchema.shape;
const L = LocalParamsSchema.shape;
const StopSchema = z.union([z.string().transform((s) => [s]), S.stop.unwrap()]);

/** Config keys that carry over, with promptfoo's and the providers' spellings. */
const PARAM_KEYS: Record<string, { key: keyof GenerationParams; schema: z.ZodType }> = {
  temperature: { key: 'temperature', schema: S.temperature },
  max_tokens: { key: 'maxTokens', schema: S.maxTokens },
  max_completion_tokens: { key: 'maxTokens', schema: S.maxTokens },
  maxTokens: { key: 'maxTokens', schema: S.maxTokens },
  max_output_tokens: { key: 'maxTokens', schema: S.maxTokens },
  maxOutputTokens: { key: 'maxTokens', schema: S.maxTokens },
  num_predict: { key: 'maxTokens', schema: S.maxTokens },
  top_p: { key: 'topP', schema: S.topP },
  topP: { key: 'topP', schema: S.topP },
  top_k: { key: 'topK', schema: S.topK },
  topK: { key: 'topK', schema: S.topK },
  min_p: { key: 'minP', schema: S.minP },
  repeat_penalty: { key: 'repeatPenalty', schema: S.repeatPenalty },
  seed: { key: 'seed', schema: S.seed },
  stop: { key: 'stop', schema: StopSchema },
  stop_sequences: { key: 'stop', schema: StopSchema },
  stopSequences: { key: 'stop', schema: StopSchema },
  threads: { key: 'threads', schema: L.threads },
  gpu_layers: { key: 'gpuLayers', schema: L.gpuLayers },
  context_size: { key: 'contextSize', schema: L.contextSize },
  chat_template: { key: 'chatTemplate', schema: L.chatTemplate },
};

type Converted = { ok: true; value: unknown } | { ok: false; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** OpenAI's `response_format` ({type: json_object | json_schema | text}) → Parity's responseFormat. */
function responseFormat(value: unknown): Converted {
  if (!isObject(value)) return { ok: false, message: 'response_format must be {type: text | json_object | json_schema}' };
  if (value.type === 'text') return { ok: true, value: 'text' };
  if (value.type === 'json_object') return { ok: true, value: 'json' };
  const js = value.json_schema;
  if (value.type === 'json_schema' && isObject(js) && isObject(js.schema)) return { ok: true, value: { jsonSchema: js.schema, ...(typeof js.name === 'string' ? { name: js.name } : {}) } };
  return { ok: false, message: 'response_format must be {type: text | json_object} or {type: json_schema, json_schema: {name, schema}}' };
}

/** Tools in OpenAI's ({type: function, function}), Anthropic's ({name, input_schema}) or Gemini's ({functionDeclarations}) shape. */
function tools(value: unknown): Converted {
  if (!Array.isArray(value)) return { ok: false, message: 'tools must be a list of tool definitions' };
  const out: Array<Record<string, unknown>> = [];
  for (const t of value) {
    const decls = isObject(t) && Array.isArray(t.functionDeclarations) ? t.functionDeclarations : [isObject(t) && isObject(t.function) ? t.function : t];
    for (const f of decls) {
      if (!isObject(f) || typeof f.name !== 'string') return { ok: false, message: 'every tool needs a function name' };
      out.push({ name: f.name, ...(typeof f.description === 'string' ? { description: f.description } : {}), ...((f.parameters ?? f.input_schema) !== undefined ? { parameters: f.parameters ?? f.input_schema } : {}) });
    }
  }
  return { ok: true, value: out };
}

/** OpenAI's/Anthropic's tool_choice → auto | none | required | {name}. */
function toolChoice(value: unknown): Converted {
  if (value === 'auto' || value === 'none' || value === 'required') return { ok: true, value };
  if (value === 'any') return { ok: true, value: 'required' };
  if (isObject(value)) {
    if (value.type === 'any') return { ok: true, value: 'required' };
    if (value.type === 'auto' || value.type === 'none') return { ok: true, value: value.type };
    const name = isObject(value.function) ? value.function.name : value.name;
    if (typeof name === 'string') return { ok: true, value: { name } };
  }
  return { ok: false, message: 'tool_choice must be auto, none, required or {type: function, function: {name}}' };
}

/** promptfoo config keys carried into the request's structured fields, each with its converter. */
const STRUCTURED_KEYS: Record<string, { key: 'responseFormat' | 'tools' | 'toolChoice'; convert: (v: unknown) => Converted }> = {
  response_format: { key: 'responseFormat', convert: responseFormat },
  tools: { key: 'tools', convert: tools },
  functions: { key: 'tools', convert: tools },
  tool_choice: { key: 'toolChoice', convert: toolChoice },
  function_call: { key: 'toolChoice', convert: (v) => (v === 'auto' || v === 'none' ? { ok: true, value: v } : toolChoice(isObject(v) ? { name: v.name } : v)) },
};

/**
 * A provider's `config` → generation parameters. Keys a generation request has no field for
 * (`response_format`, `tools`, `apiKey`...) are listed as ignored; a key with a wrong type is a
 * problem at its line. Gemini's `generationConfig` is read for the same sampling keys.
 */
export function paramsFromConfig(config: unknown, at: ConfigPath, report: ImportReport): GenerationParams {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    report.problem(at, 'config must be a mapping of settings');
    return {};
  }
  const params: Record<string, unknown> = {};
  const ignored: string[] = [];
  const read = (entries: Record<string, unknown>, path: ConfigPath): void => {
    for (const [key, value] of Object.entries(entries)) {
      if (key === 'generationConfig' && value && typeof value === 'object' && !Array.isArray(value)) {
        read(value as Record<string, unknown>, [...path, key]);
        continue;
      }
      const structured = STRUCTURED_KEYS[key];
      if (structured) {
        const converted = structured.convert(value);
        const checked = converted.ok ? StructuredParamsSchema.shape[structured.key].safeParse(converted.value) : null;
        if (!converted.ok) report.problem([...path, key], converted.message);
        else if (!checked!.success) report.problem([...path, key, ...checked!.error.issues[0]!.path], checked!.error.issues[0]!.message);
        else params[structured.key] = checked!.data;
        continue;
      }
      const known = PARAM_KEYS[key];
      if (!known) {
        ignored.push([...path.slice(at.length), key].join('.'));
        continue;
      }
      const parsed = known.schema.safeParse(value);
      if (!parsed.success) report.problem([...path, key], parsed.error.issues[0]?.message ?? 'invalid value');
      else if (parsed.data !== undefined) params[known.key] = parsed.data;
    }
  };
  read(config as Record<string, unknown>, at);
  if (ignored.length) report.warn(at, `ignored: ${ignored.join(', ')} (no matching field in a Parity generation request)`);
  return params as GenerationParams;
}
