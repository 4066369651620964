import type { AssertionSpec, SuiteProviderSpec } from '../../../../shared/domain/evals';
import { isFileRef } from './fileRefs';
import type { ConfigPath, ImportReport } from './importReport';
import { mapProviderId, paramsFromConfig } from './providerIds';
import { readData, type Ctx } from './promptfooTests';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ProvidersResult {
  providers: SuiteProviderSpec[];
  /** Tool or function definitions from the providers' configs, for is-valid-openai-*-call without a value. */
  tools: unknown[];
  functions: unknown[];
}

const PROVIDER_KEYS = new Set(['id', 'label', 'config', 'prompts']);

export function convertProviders(value: unknown, key: string, ctx: Ctx): ProvidersResult {
  const result: ProvidersResult = { providers: [], tools: [], functions: [] };
  if (value === undefined || value === null) return result;
  const items: Array<[unknown, ConfigPath]> = [];
  const add = (v: unknown, at: ConfigPath): void => {
    if (isFileRef(v)) {
      for (const file of ctx.files.resolve(v, at)) {
        const data = readData(ctx, file, at);
        for (const d of Array.isArray(data) ? data : [data]) items.push([d, at]);
      }
    } else items.push([v, at]);
  };
  if (Array.isArray(value)) value.forEach((v, i) => add(v, [key, i]));
  else add(value, [key]);
  for (const [raw, at] of items) {
    let item = raw;
    // promptfoo's map form: { "openai:gpt-4o": { config: ... } }.
    if (isObject(item) && item.id === undefined && Object.keys(item).length === 1) {
      const [id, rest] = Object.entries(item)[0]!;
      item = { id, ...(isObject(rest) ? rest : {}) };
    }
    const entry = typeof item === 'string' ? { id: item } : isObject(item) ? item : null;
    if (!entry || typeof entry.id !== 'string') {
      ctx.report.problem(at, 'a provider must be an id (openai:gpt-4o-mini) or {id, label, config}');
      continue;
    }
    const mapped = mapProviderId(entry.id);
    if (!mapped.ok) {
      ctx.report.warn(at, `ignored provider: ${mapped.reason}`);
      continue;
    }
    if (mapped.note) ctx.report.warn(at, mapped.note);
    const extra = Object.keys(entry).filter((k) => !PROVIDER_KEYS.has(k));
    if (extra.length) ctx.report.warn(at, `ignored: ${extra.join(', ')}`);
    const config = resolveConfigFiles(entry.config, [...at, 'config'], ctx);
    if (isObject(config)) {
      if (Array.isArray(config.tools)) result.tools.push(config.tools);
      if (Array.isArray(config.functions)) result.functions.push(config.functions);
    }
    const label = typeof entry.label === 'string' ? entry.label : undefined;
    // The same model twice is normal in promptfoo when the labels differ: the label is the identity.
    if (result.providers.some((p) => p.id === mapped.ref && p.label === label)) {
      ctx.report.warn(at, `ignored provider: ${mapped.ref} is already listed${label ? ` with label "${label}"` : ''}; give each entry its own label to run both`);
      continue;
    }
    const prompts = entry.prompts === undefined ? undefined : (Array.isArray(entry.prompts) ? entry.prompts : [entry.prompts]).map(String);
    result.providers.push({ id: mapped.ref, ...(label ? { label } : {}), params: paramsFromConfig(config, [...at, 'config'], ctx.report), ...(prompts ? { prompts } : {}) });
  }
  return result;
}

/** promptfoo reads `file://` values in a provider's config (`functions: file://tools.yaml`); data files only. */
function resolveConfigFiles(config: unknown, at: ConfigPath, ctx: Ctx): unknown {
  if (!isObject(config)) return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!isFileRef(value)) {
      out[key] = value;
      continue;
    }
    const [file] = ctx.files.resolve(value, [...at, key]);
    if (file && ['yaml', 'yml', 'json'].includes(file.ext)) out[key] = readData(ctx, file, [...at, key]);
    else if (file) ctx.report.warn([...at, key], `ignored: ${value} (only YAML or JSON files are read into a provider's config)`);
  }
  return out;
}

/** is-valid-openai-tools-call without a value checks against the providers' tool definitions, as promptfoo does. */
export function attachTools(assertions: AssertionSpec[], found: ProvidersResult, report: ImportReport): void {
  for (const a of assertions) {
    const base = a.type.replace(/^not-/, '');
    if (base === 'assert-set' && Array.isArray(a.value)) attachTools(a.value as AssertionSpec[], found, report);
    const defs = base === 'is-valid-openai-tools-call' ? found.tools : base === 'is-valid-openai-function-call' ? found.functions : null;
    if (!defs || a.value !== undefined || defs.length === 0) continue;
    const distinct = [...new Set(defs.map((d) => JSON.stringify(d)))];
    if (distinct.length > 1) report.warn(null, `${a.type}: the providers define different tools; the first provider's definitions are used`);
    a.value = defs[0];
  }
}
