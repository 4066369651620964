import type { z } from 'zod';
import { isAppError, toErrorPayload, type ErrorCode } from '../../../shared/errors';

export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'rate_limit_error' | 'server_error' | 'service_unavailable';

/** An answer in OpenAI's error shape: `{"error":{"message","type","code","param"}}` with its status. */
export class OpenAiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: OpenAiErrorType,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OpenAiHttpError';
  }

  body(): { error: { message: string; type: string; code: string | null; param: string | null } } {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

export function badRequest(message: string, param: string | null, code = 'invalid_request'): OpenAiHttpError {
  return new OpenAiHttpError(400, message, 'invalid_request_error', code, param);
}

export function unsupportedParam(param: string, why: 'unknown' | 'not-yet' | 'value'): OpenAiHttpError {
  const message =
    why === 'not-yet'
      ? `\`${param}\` is not supported yet by Parity's API (structured output and tools are coming); remove it from the request.`
      : why === 'value'
        ? `This value of \`${param}\` is not supported by Parity's API; remove it or use the default.`
        : `Unknown parameter: \`${param}\`. Parity's API does not support it; remove it from the request.`;
  return badRequest(message, param, 'unsupported_parameter');
}

/** The first zod issue as a 400 naming its parameter. */
export function fromZod(error: z.ZodError): OpenAiHttpError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : null;
  return badRequest(param ? `Invalid \`${param}\`: ${issue!.message}` : `Invalid request: ${issue?.message ?? 'unknown problem'}`, param);
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, [number, OpenAiErrorType, string]>> = {
  VALIDATION_FAILED: [400, 'invalid_request_error', 'invalid_request'],
  NOT_SUPPORTED: [400, 'invalid_request_error', 'unsupported_parameter'],
  PROMPT_TOO_LONG: [400, 'invalid_request_error', 'context_length_exceeded'],
  SUITE_INVALID: [400, 'invalid_request_error', 'invalid_request'],
  // The data policy refused what the request carries; sending it again unchanged will not help.
  POLICY_BLOCKED: [400, 'invalid_request_error', 'data_policy_blocked'],
  POLICY_INVALID: [503, 'service_unavailable', 'data_policy_invalid'],
  NOT_FOUND: [404, 'not_found_error', 'model_not_found'],
  PROVIDER_UNKNOWN_MODEL: [404, 'not_found_error', 'model_not_found'],
  PROVIDER_RATE_LIMITED: [429, 'rate_limit_error', 'rate_limit_exceeded'],
  OFFLINE: [503, 'service_unavailable', 'offline'],
  PROVIDER_DISABLED: [503, 'service_unavailable', 'provider_disabled'],
  MODEL_LOAD_FAILED: [503, 'service_unavailable', 'model_load_failed'],
  MODEL_INSUFFICIENT_MEMORY: [503, 'service_unavailable', 'model_load_failed'],
  MODEL_INVALID_FILE: [503, 'service_unavailable', 'model_load_failed'],
  MODEL_NOT_LOADED: [503, 'service_unavailable', 'model_load_failed'],
  // The upstream provider failed; the client's request was fine.
  PROVIDER_AUTH: [502, 'server_error', 'upstream_auth'],
  PROVIDER_UNAVAILABLE: [502, 'server_error', 'upstream_unavailable'],
  PROVIDER_BAD_RESPONSE: [502, 'server_error', 'upstream_bad_response'],
  PROVIDER_STREAM_BROKEN: [502, 'server_error', 'upstream_stream_broken'],
  PROVIDER_TIMEOUT: [504, 'server_error', 'upstream_timeout'],
  ABORTED: [499, 'invalid_request_error', 'client_closed_request'],
};

/** Anything a service threw, as the API answers it. */
export function toOpenAiError(error: unknown): OpenAiHttpError {
  if (error instanceof OpenAiHttpError) return error;
  const payload = toErrorPayload(error);
  const [status, type, code] = STATUS_BY_CODE[payload.code] ?? [500, 'server_error', 'internal_error'];
  const headers: Record<string, string> = {};
  // The queue and failed metrics say seconds; an upstream provider's error carries its hint in milliseconds.
  const details = isAppError(error) ? error.details : undefined;
  const hinted = typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : typeof details?.retryAfterMs === 'number' ? details.retryAfterMs / 1000 : null;
  const hint = hinted !== null && Number.isFinite(hinted) && hinted > 0 ? Math.ceil(hinted) : null;
  // A 429 always says when to come back; an upstream outage (502/503) only when the provider said.
  if (status === 429) headers['Retry-After'] = String(hint ?? 1);
  else if (status >= 500 && hint !== null) headers['Retry-After'] = String(hint);
  const param = status === 404 ? 'model' : null;
  return new OpenAiHttpError(status, payload.message, type, code, param, headers);
}
