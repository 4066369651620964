import { APICallError } from 'ai';
import { AppError } from '../../../../shared/errors';

export interface ErrorContext {
  /** Human name, e.g. "OpenAI" or "compat endpoint groq". */
  label: string;
  model: string;
  host: string;
  /** Where the user fixes the key, e.g. "Settings → Providers (or OPENAI_API_KEY)". */
  keyHint: string;
  /** The key in use, so it can be scrubbed from anything the provider echoes back. */
  key?: string | null;
}

/** Providers echo parts of a bad key ("Incorrect API key provided: sk-ab***wxyz"); never pass that on. */
export function redact(text: string, key?: string | null): string {
  let out = text;
  if (key && key.length >= 4) out = out.split(key).join('[redacted]');
  return out.replace(/\b(sk|key|gsk|xai|pk|AIza)[-_]?[\w*.-]{6,}/g, '[redacted]').slice(0, 500);
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && current != null; i++) {
    chain.push(current);
    const next: unknown = (current as { cause?: unknown; lastError?: unknown }).lastError ?? (current as { cause?: unknown }).cause;
    if (next === current) break;
    current = next;
  }
  return chain;
}

/** Retry-After is seconds or an HTTP date; `retry-after-ms` (OpenAI) is more precise when present. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] && Number.isFinite(ms)) return Math.max(0, ms);
  const raw = lower['retry-after'];
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

const UNKNOWN_MODEL = /model_not_found|not_found_error|does not exist|is not found|unknown model|no such model|NOT_FOUND/i;

function isConnectionError(e: unknown): boolean {
  const text = `${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`;
  return /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|UND_ERR_SOCKET|terminated|socket hang up|fetch failed|other side closed/i.test(text);
}

/**
 * Maps whatever the AI SDK or the network threw to an AppError the user can act on. `details`
 * carries what the retry policy needs (`retryable`, `retryAfterMs`, `status`) and never the key.
 */
export function mapProviderError(error: unknown, ctx: ErrorContext, midStream = false): AppError {
  const chain = causes(error);
  const app = chain.find((e): e is AppError => e instanceof AppError);
  if (app) return app;
  const base = { provider: ctx.label, model: ctx.model, host: ctx.host };
  if (chain.some((e) => e instanceof Error && e.name === 'AbortError')) return new AppError('ABORTED', 'The request was stopped.', base);
  const api = chain.find((e): e is APICallError => APICallError.isInstance(e));
  // A 200 whose body then fails (reset, bad chunk) is classified by its cause below, not by status.
  if (api && api.statusCode !== undefined && api.statusCode >= 400) {
    const status = api.statusCode;
    const said = redact(api.message, ctx.key);
    const details = { ...base, status, providerMessage: said };
    // Gemini answers a bad key with 400 API_KEY_INVALID rather than 401.
    if (status === 401 || status === 403 || /API_KEY_INVALID|API key not valid/i.test(`${api.responseBody ?? ''}`)) {
      return new AppError('PROVIDER_AUTH', `${ctx.label} rejected the key (HTTP ${status}). Check the key for ${ctx.label} in ${ctx.keyHint}.`, details);
    }
    if (status === 404 || UNKNOWN_MODEL.test(`${api.responseBody ?? ''} ${api.message}`)) {
      return new AppError('PROVIDER_UNKNOWN_MODEL', `${ctx.label} does not know the model "${ctx.model}". Pick a model it offers (${said}).`, details);
    }
    if (status === 429) {
      const wait = retryAfterMs(api.responseHeaders);
      return new AppError('PROVIDER_RATE_LIMITED', `${ctx.label} is rate-limiting requests (HTTP 429). Wait a moment or lower concurrency.`, {
        ...details,
        retryable: true,
        retryAfterMs: wait,
      });
    }
    if (status >= 500) {
      return new AppError('PROVIDER_UNAVAILABLE', `${ctx.label} is unavailable right now (HTTP ${status}). Try again later.`, {
        ...details,
        retryable: true,
        retryAfterMs: retryAfterMs(api.responseHeaders),
      });
    }
    return new AppError('PROVIDER_BAD_RESPONSE', `${ctx.label} rejected the request (HTTP ${status}): ${said}`, details);
  }
  // An error event inside a 200 stream (Anthropic `event: error`, OpenAI `response.failed`): the SDK
  // hands it over as a StreamProviderError (or a plain payload) carrying type/statusCode/isRetryable.
  const event = chain.find(
    (e): e is { type?: string; code?: string | number; message?: string; statusCode?: number; isRetryable?: boolean } =>
      typeof e === 'object' && e !== null && !APICallError.isInstance(e) && 'message' in e && ('statusCode' in e || 'type' in e || !(e instanceof Error)),
  );
  if (event && (event.statusCode !== undefined || event.type !== undefined || !(event instanceof Error))) {
    const kind = `${event.type ?? ''} ${event.code ?? ''}`;
    const said = redact(String(event.message ?? ''), ctx.key);
    const details = { ...base, providerMessage: said, ...(event.statusCode ? { status: event.statusCode } : {}) };
    if (midStream) return new AppError('PROVIDER_STREAM_BROKEN', `${ctx.label} reported an error in the middle of the answer (${said}). The partial text is kept.`, details);
    if (event.statusCode === 429 || /rate_limit/i.test(kind)) return new AppError('PROVIDER_RATE_LIMITED', `${ctx.label} is rate-limiting requests: ${said}`, { ...details, retryable: true });
    if ((event.statusCode ?? 0) >= 500 || event.isRetryable === true || /overloaded|api_error|server_error|unavailable/i.test(kind)) {
      return new AppError('PROVIDER_UNAVAILABLE', `${ctx.label} is unavailable right now: ${said}`, { ...details, retryable: true });
    }
    return new AppError('PROVIDER_BAD_RESPONSE', `${ctx.label} reported an error: ${said}`, details);
  }
  // No status at all: the request never got an answer (refused, DNS, TLS, blocked port).
  if (api && api.statusCode === undefined && !midStream) {
    return new AppError('PROVIDER_UNAVAILABLE', `Could not reach ${ctx.host}: ${redact(api.message, ctx.key)}. Check your connection or the base URL.`, { ...base, retryable: true });
  }
  const parse = chain.find((e) => e instanceof Error && /JSONParseError|TypeValidationError|InvalidResponseData|NoContentGenerated/.test(e.name));
  if (parse) {
    return new AppError('PROVIDER_BAD_RESPONSE', `${ctx.label} sent a response Parity cannot read (${(parse as Error).name}). The answer is incomplete.`, base);
  }
  if (chain.some(isConnectionError)) {
    if (midStream) {
      return new AppError('PROVIDER_STREAM_BROKEN', `The connection to ${ctx.host} broke in the middle of the answer. The partial text is kept and marked incomplete.`, base);
    }
    return new AppError('PROVIDER_UNAVAILABLE', `Could not reach ${ctx.host}. Check your connection or the endpoint's base URL.`, { ...base, retryable: true });
  }
  const message = error instanceof Error ? redact(error.message, ctx.key) : redact(String(error), ctx.key);
  return new AppError(midStream ? 'PROVIDER_STREAM_BROKEN' : 'PROVIDER_BAD_RESPONSE', `${ctx.label} failed: ${message}`, base);
}
