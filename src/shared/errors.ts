/**
 * Error codes shared by main, the CLI and the renderer. A code is what callers branch on;
 * the message is what a user reads and should say what to do next.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNKNOWN_ROUTE',
  'NOT_FOUND',
  'CONFLICT',
  'INTERNAL',
  'ABORTED',
  'STORE_NEWER_SCHEMA',
  'STORE_CORRUPT',
  'STORE_LOCKED',
  'STORE_READ_ONLY',
  'DISK_FULL',
  'MODEL_INVALID_FILE',
  'MODEL_LOAD_FAILED',
  'MODEL_INSUFFICIENT_MEMORY',
  'MODEL_NOT_LOADED',
  'MODEL_ALREADY_IN_LIBRARY',
  'PROMPT_TOO_LONG',
  'DOWNLOAD_FAILED',
  'DOWNLOAD_CHECKSUM_MISMATCH',
  'OFFLINE',
  'PROVIDER_DISABLED',
  'PROVIDER_AUTH',
  'PROVIDER_UNKNOWN_MODEL',
  'PROVIDER_RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'PROVIDER_BAD_RESPONSE',
  'PROVIDER_TIMEOUT',
  'PROVIDER_STREAM_BROKEN',
  'KEY_STORE_UNAVAILABLE',
  'SUITE_INVALID',
  'NOT_SUPPORTED',
  /** HTTP transports: no or a wrong token (401). */
  'UNAUTHORIZED',
  /** HTTP transports: a Host or Origin that is not this loopback server (403). */
  'FORBIDDEN',
  /** HTTP transports: the wrong verb for this path, e.g. GET on /api/<route> (405). */
  'METHOD_NOT_ALLOWED',
  /** HTTP transports: a request body over the size limit (413); details.limitBytes says the limit. */
  'PAYLOAD_TOO_LARGE',
  /** The data policy (file or Settings → Data policy) cannot be read or does not validate. */
  'POLICY_INVALID',
  /** The data policy refused to send a message to this provider; nothing was sent. */
  'POLICY_BLOCKED',
  /** A `warn` rule asks the user first (chat): nothing was sent; confirming sends the message as written. */
  'POLICY_CONFIRM',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('VALIDATION_FAILED', message, details);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} "${id}" was not found.`, { what, id });
    this.name = 'NotFoundError';
  }
}

export class AbortedError extends AppError {
  constructor(message = 'The operation was cancelled.') {
    super('ABORTED', message);
    this.name = 'AbortedError';
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns anything thrown into a payload that can cross a transport without losing its fields. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof AppError) return error.toPayload();
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'ABORTED', message: 'The operation was cancelled.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorPayload };
