/**
 * The one place that reads and writes model references. Every other module asks here instead of
 * splitting strings: `local:<id-or-path>`, `openai:<model>`, `anthropic:<model>`, `google:<model>`,
 * `compat:<endpoint>/<server model id>` (the server's id may itself contain `/` or `:`).
 */

export const LOCAL_PROVIDER = 'local';
export const COMPAT_PROVIDER = 'compat';
/** `route:<name>`: an ordered list of models from the data policy, tried in turn. */
export const ROUTE_PROVIDER = 'route';

export interface ParsedModelRef {
  /** `local`, `openai`, `anthropic`, `google`, `compat`, ... (empty when the ref has no prefix). */
  provider: string;
  /** Everything after the first `:`; for compat, `<endpoint>/<server model id>`. */
  model: string;
}

export function parse(ref: string): ParsedModelRef {
  const i = ref.indexOf(':');
  return i < 0 ? { provider: '', model: ref } : { provider: ref.slice(0, i), model: ref.slice(i + 1) };
}

export function format(provider: string, model: string): string {
  return `${provider}:${model}`;
}

export function isLocal(ref: string): boolean {
  return parse(ref).provider === LOCAL_PROVIDER;
}

export function isRoute(ref: string): boolean {
  return parse(ref).provider === ROUTE_PROVIDER;
}

/** `route:analyst` → `analyst`; null for any other ref. */
export function routeName(ref: string): string | null {
  const { provider, model } = parse(ref);
  return provider === ROUTE_PROVIDER && model ? model : null;
}

export function routeRef(name: string): string {
  return format(ROUTE_PROVIDER, name);
}

/** The library id or file path of a `local:` ref; a bare id (no prefix) is taken as local too. */
export function localId(ref: string): string {
  const { provider, model } = parse(ref);
  return provider === LOCAL_PROVIDER ? model : ref;
}

export function localRef(idOrPath: string): string {
  return format(LOCAL_PROVIDER, idOrPath);
}

/** `compat:<endpoint>/<model>` → its parts; null when the ref is not a compat ref or lacks either part. */
export function compatParts(ref: string): { endpoint: string; model: string } | null {
  const { provider, model } = parse(ref);
  if (provider !== COMPAT_PROVIDER) return null;
  return compatModelParts(model);
}

/** The part after `compat:` → endpoint and the server's own model id (which may contain `/`). */
export function compatModelParts(model: string): { endpoint: string; model: string } | null {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return null;
  return { endpoint: model.slice(0, slash), model: model.slice(slash + 1) };
}

export function compatRef(endpoint: string, model: string): string {
  return format(COMPAT_PROVIDER, `${endpoint}/${model}`);
}

/** Like `parse`, with a bare id (no prefix) taken as a library model, as `localId` does. */
export function parseOrLocal(ref: string): ParsedModelRef {
  const parsed = parse(ref);
  return parsed.provider ? parsed : { provider: LOCAL_PROVIDER, model: ref };
}

/** The endpoint key of an OpenAI-compatible endpoint, `compat:<endpoint>`: its switch, key slot and audit id. */
export function compatEndpointKey(endpoint: string): string {
  return format(COMPAT_PROVIDER, endpoint);
}

/** `compat:<endpoint>` → `<endpoint>`; null for any other endpoint key. */
export function compatEndpointOf(key: string): string | null {
  const { provider, model } = parse(key);
  return provider === COMPAT_PROVIDER && model ? model : null;
}

/**
 * The key of the thing that is switched on and off, audited and rate-limited as one: the provider
 * for cloud models, `compat:<endpoint>` for each OpenAI-compatible endpoint, `local` for this device.
 */
export function endpointKey(ref: string): string {
  const { provider, model } = parse(ref);
  if (provider !== COMPAT_PROVIDER) return provider;
  const parts = compatModelParts(model);
  return parts ? format(COMPAT_PROVIDER, parts.endpoint) : provider;
}

/** The provider part of an endpoint key (`compat:ollama` → `compat`). */
export function providerOfEndpointKey(key: string): string {
  return parse(key).provider || key;
}
