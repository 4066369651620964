import { detectorLabel } from '../../../shared/domain/dataPolicy';
import type { ChatMessage, GenerationParams } from '../../../shared/domain/generation';
import { AppError } from '../../../shared/errors';
import type { AuditLog, AuditRecord } from '../audit/AuditLog';
import { policyAuditStatus, type DataPolicyService, type Screening, type ScreenOptions } from '../policy/DataPolicyService';
import { SandboxError } from '../sandbox/ScriptSandbox';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface EgressGatewayOptions {
  audit: AuditLog;
  /** Read on every request, so flipping the switch takes effect immediately. */
  isOffline: () => boolean;
  isProviderEnabled: (provider: string) => boolean;
  /** What may leave for which provider; without it every prompt goes out as written. */
  dataPolicy?: DataPolicyService;
  /** The real network; injectable for tests. */
  fetch?: FetchLike;
  now?: () => Date;
}

export interface EgressTarget {
  /** Provider id (`openai`, `compat:groq`) or `download`. */
  provider: string;
  model?: string | null;
  /** What the request is for: `generation`, `list-models`, `download`. */
  purpose?: string;
}

/** A screening, plus its policy decision's audit row for the caller to write with the request's own row. */
export type ScreenResult = Screening & { auditRow: AuditRecord | null };

/** What one logical call (possibly several HTTP requests) sent and received. */
export interface ExchangeStats {
  host: string | null;
  httpStatus: number | null;
  bytesSent: number;
  bytesReceived: number;
  requestId: string | null;
  requests: number;
}

export interface EgressCall {
  readonly fetch: FetchLike;
  stats(): ExchangeStats;
  /** Writes this call's audit row once its outcome (status, tokens) is known, after `before` (a policy decision) in one commit. */
  record(row: AuditRecord, before?: AuditRecord[]): void;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-goog-request-id', 'cf-ray'];

function urlOf(input: string | URL | Request): URL {
  return new URL(input instanceof Request ? input.url : String(input));
}

function bodySize(body: RequestInit['body'] | null | undefined): number {
  if (body == null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString());
  return 0;
}

/** Counts body bytes as the consumer reads them and reports once, however the body ends. */
function countingBody(res: Response, onBytes: (n: number) => void, onEnd: (error: unknown) => void): Response {
  if (!res.body) {
    onEnd(null);
    return res;
  }
  let ended = false;
  const end = (error: unknown): void => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  const reader = res.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          end(null);
          controller.close();
          return;
        }
        onBytes(value.byteLength);
        controller.enqueue(value);
      } catch (error) {
        end(error);
        controller.error(error);
      }
    },
    cancel(reason) {
      end(reason ?? 'cancelled');
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * The single path for every outbound request of the app. Enforces the Offline switch and the
 * per-provider switches before any byte leaves, and feeds the append-only audit log.
 */
export class EgressGateway {
  readonly #audit: AuditLog;
  readonly #isOffline: () => boolean;
  readonly #isEnabled: (provider: string) => boolean;
  readonly #fetch: FetchLike;
  readonly #now: () => Date;
  readonly #dataPolicy: DataPolicyService | null;

  constructor(options: EgressGatewayOptions) {
    this.#audit = options.audit;
    this.#isOffline = options.isOffline;
    this.#isEnabled = options.isProviderEnabled;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#now = options.now ?? (() => new Date());
    this.#dataPolicy = options.dataPolicy ?? null;
  }

  get offline(): boolean {
    return this.#isOffline();
  }

  /** Throws the error a blocked request would get; used before a call and by every request. */
  check(provider: string, host: string): void {
    if (this.#isOffline()) {
      throw new AppError(
        'OFFLINE',
        `Parity is in Offline mode (Settings → Offline, or --offline / PARITY_OFFLINE=1). Turn it off to reach ${host}.`,
        { provider, host },
      );
    }
    if (provider !== 'download' && !this.#isEnabled(provider)) {
      throw new AppError('PROVIDER_DISABLED', `The provider "${provider}" is turned off. Turn it on in Settings → Providers to reach ${host}.`, { provider, host });
    }
  }

  /**
   * A fetch for one logical call whose outcome the caller audits (with tokens) via `record`.
   * Every request made through it is still checked against the switches.
   */
  open(target: EgressTarget): EgressCall {
    const stats: ExchangeStats = { host: null, httpStatus: null, bytesSent: 0, bytesReceived: 0, requestId: null, requests: 0 };
    const fetch: FetchLike = async (input, init) => {
      const url = urlOf(input);
      stats.host = url.host;
      this.check(target.provider, url.host);
      stats.requests += 1;
      stats.bytesSent += bodySize(init?.body);
      const res = await this.#fetch(input, init);
      stats.httpStatus = res.status;
      stats.requestId = REQUEST_ID_HEADERS.map((h) => res.headers.get(h)).find((v) => v) ?? stats.requestId;
      return countingBody(res, (n) => (stats.bytesReceived += n), () => undefined);
    };
    return { fetch, stats: () => ({ ...stats }), record: (row, before = []) => this.#recordAll([...before, row]) };
  }

  /**
   * A fetch-compatible function for callers that do not audit themselves (model downloads, model
   * lists): one audit row per request, written when its body ends.
   */
  fetchFor(target: EgressTarget): FetchLike {
    return async (input, init) => {
      const url = urlOf(input);
      const base = { provider: target.provider, host: url.host, model: target.model ?? null, purpose: target.purpose ?? target.provider };
      try {
        this.check(target.provider, url.host);
      } catch (error) {
        this.#record({ ...base, status: error instanceof AppError ? `blocked:${error.code}` : 'blocked', bytesSent: 0, bytesReceived: 0 });
        throw error;
      }
      const bytesSent = bodySize(init?.body);
      let res: Response;
      try {
        res = await this.#fetch(input, init);
      } catch (error) {
        this.#record({ ...base, status: 'network-error', bytesSent, bytesReceived: 0 });
        throw error;
      }
      let received = 0;
      const requestId = REQUEST_ID_HEADERS.map((h) => res.headers.get(h)).find((v) => v) ?? null;
      return countingBody(
        res,
        (n) => (received += n),
        (error) =>
          this.#record({
            ...base,
            status: error ? 'incomplete' : res.ok ? 'ok' : 'http-error',
            httpStatus: res.status,
            requestId,
            bytesSent,
            bytesReceived: received,
          }),
      );
    };
  }

  /**
   * Applies the data policy to a generation's messages and the user-written parts of its params
   * (tools, response schema, stop sequences) before any of them leaves: returns what
   * may be sent (values redacted to placeholders) or throws POLICY_BLOCKED with the detector
   * counts. Every decision other than "nothing found" is appended to the audit log, without the
   * values. Null when there is nothing to screen: no policy, or the switches refuse the call anyway.
   */
  async screen(
    target: EgressTarget & { ref: string; host: string },
    messages: ChatMessage[],
    options: ScreenOptions & { bypass?: boolean; confirmWarnings?: boolean } = {},
  ): Promise<ScreenResult | null> {
    if (!this.#dataPolicy) return null;
    try {
      this.check(target.provider, target.host);
    } catch {
      return null;
    }
    const base = { provider: target.provider, host: target.host, model: target.model ?? null, purpose: 'policy' };
    if (options.bypass) return this.#bypass(base, messages, options.params ?? {});
    let screening: Screening;
    try {
      screening = await this.#dataPolicy.screen(target.ref, messages, options);
    } catch (error) {
      if (options.signal?.aborted) throw new AppError('ABORTED', 'The generation was stopped.');
      if (error instanceof AppError) {
        // The stored policy no longer loads: refuse rather than send under no policy.
        this.#record({ ...base, status: `policy:blocked ${error.code === 'POLICY_INVALID' ? 'policy-invalid' : error.code}` });
        throw error;
      }
      // A pattern that could not finish leaves the message unchecked: refuse rather than guess.
      const reason = error instanceof SandboxError ? error.message : error instanceof Error ? error.message : String(error);
      this.#record({ ...base, status: 'policy:blocked check-failed' });
      throw new AppError('POLICY_BLOCKED', `blocked by data policy: a user-defined pattern could not be checked (${reason}); nothing was sent.`, { provider: target.provider, model: target.model ?? null });
    }
    if (screening.outcome === 'clear') return { ...screening, auditRow: null };
    const auditRow: AuditRecord = { ...base, time: this.#now().toISOString(), status: policyAuditStatus(screening) };
    if (screening.outcome === 'warned' && options.confirmWarnings) {
      // Asked once per message: the client shows the question, and confirming sends without asking again.
      this.#record({ ...auditRow, status: policyAuditStatus(screening).replace('policy:warned', 'policy:asked') });
      const found = screening.findings.map((f) => `${f.count} ${detectorLabel(f.detector)}`).join(', ');
      throw new AppError('POLICY_CONFIRM', `data policy: this message contains ${found}. Send it to ${target.provider} as written? Nothing was sent.`, {
        provider: target.provider,
        model: target.model ?? null,
        findings: screening.findings,
      });
    }
    // What goes out is recorded with its request's row, in one commit; a refusal has no request, so now.
    if (screening.outcome !== 'blocked') return { ...screening, auditRow };
    this.#record(auditRow);
    throw new AppError('POLICY_BLOCKED', screening.refusal ?? 'blocked by data policy', {
      provider: target.provider,
      model: target.model ?? null,
      findings: screening.findings,
    });
  }

  /** An eval run without the policy: only where the policy allows it, and on the record either way. */
  #bypass(base: Omit<AuditRecord, 'status'>, messages: ChatMessage[], params: GenerationParams): ScreenResult {
    let allowed = false;
    try {
      allowed = this.#dataPolicy?.allowsEvalBypass() ?? false;
    } catch {
      allowed = false;
    }
    if (!allowed) {
      this.#record({ ...base, status: 'policy:blocked bypass-refused' });
      throw new AppError(
        'POLICY_BLOCKED',
        'blocked by data policy: this run asks to go out without the data policy, which the policy does not allow (add evalBypass: true to it to measure what the rules cost).',
        { provider: base.provider },
      );
    }
    return { outcome: 'clear', findings: [], areas: [], messages, params, originals: new Map(), refusal: null, auditRow: { ...base, time: this.#now().toISOString(), status: 'policy:off eval-bypass' } };
  }

  /** A decision that is not a request of its own (a route's steps): on the record, nothing sent. */
  recordDecision(row: AuditRecord): void {
    this.#record(row);
  }

  #record(row: AuditRecord): void {
    this.#audit.record({ time: this.#now().toISOString(), ...row });
  }

  #recordAll(rows: AuditRecord[]): void {
    const time = this.#now().toISOString();
    this.#audit.recordAll(rows.map((row) => ({ time, ...row })));
  }
}
