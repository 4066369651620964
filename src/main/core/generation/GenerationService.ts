import type { ChatMessage, GenerationMetrics, GenerationParams, SamplingParams } from '../../../shared/domain/generation';
import type { PolicyRoute } from '../../../shared/domain/dataPolicy';
import { endpointKey, format as formatRef, routeName } from '../../../shared/domain/modelRef';
import { mergeParams } from '../../../shared/domain/generationDefaults';
import { AppError, isAppError } from '../../../shared/errors';
import { failedMetrics, withFailure } from './failedMetrics';
import type { AuditRecord } from '../audit/AuditLog';
import type { EgressCall, EgressGateway, ScreenResult } from '../egress/EgressGateway';
import type { BudgetState } from '../policy/BudgetLedger';
import type { PriceTable } from '../pricing/PriceTable';
import type { ModelProvider, StreamEvent } from '../providers/ModelProvider';
import type { ProviderRegistry } from '../providers/ProviderRegistry';
import { finalizeMetrics } from './finalizeMetrics';
import { restoredStream } from './restoredStream';
import { routeAuditStatus, routeStream } from './routeStream';
import { DEFAULT_RETRY_POLICY, isRetryable, retryDelayMs, type RetryPolicy } from './retryPolicy';
import { sleep } from '../util/sleep';

export interface GenerateOptions {
  signal?: AbortSignal;
  /** A model ref to use when the primary fails after retries; recorded in metrics.fallbackFrom. */
  fallback?: string | null;
  /** Overrides of the retry/timeout policy for this call (remote providers only). */
  policy?: Partial<RetryPolicy>;
  /** Parallel generations expected on this model (see StreamOptions.sequences). */
  sequences?: number;
  /** One independent answer (an eval cell); see StreamOptions.oneShot. */
  oneShot?: boolean;
  /**
   * Sampling for what `params` leaves unset, after the model's own recommendation (chat passes
   * temperature 0.7 and a fresh seed so an unconfigured conversation samples). Without it, unset
   * means the provider's default.
   */
  fillSampling?: SamplingParams;
  /** `off`: send without the data policy (eval runs measuring its cost; only if the policy allows it, and audited). */
  dataPolicy?: 'apply' | 'off';
  /** Refuse with POLICY_CONFIRM when a `warn` rule trips, so the client can ask the user (chat does, once per message). */
  confirmWarnings?: boolean;
}

/** The settings GenerationService reads; a narrow view so tests need no full SettingsService. */
export interface GenerationSettings {
  get(key: 'auditPromptText'): boolean;
  get(key: 'localHourlyRateUsd'): number;
}

export interface GenerationServiceOptions {
  gateway?: EgressGateway;
  prices?: PriceTable;
  settings?: GenerationSettings;
  policy?: Partial<RetryPolicy>;
  /** Injected for tests of the jitter; Math.random otherwise. */
  random?: () => number;
  /** `route:<name>` definitions (the data policy's `routes`). */
  routes?: { route(name: string): PolicyRoute | null };
  /** Spending per provider against the policy's budgets; routes skip a spent provider. */
  budgets?: { stateFor(endpoint: string): BudgetState | null };
}

interface Attempt {
  ref: string;
  provider: ModelProvider;
  model: string;
  fallbackFrom: string | null;
  priorRetries: number;
}

const SAMPLING_KEYS = ['temperature', 'topP', 'topK', 'minP', 'repeatPenalty', 'maxTokens', 'seed', 'stop'] as const;

/** The sampling part of the params, recorded with the answer so it can be reproduced. */
function samplingOf(params: GenerationParams): SamplingParams {
  const out: Record<string, unknown> = {};
  for (const key of SAMPLING_KEYS) if (params[key] !== undefined) out[key] = params[key];
  return out as SamplingParams;
}

/** Which per-provider switch guards a ref: compat endpoints each have their own. */
function egressIdOf(provider: ModelProvider, model: string): string {
  return endpointKey(formatRef(provider.id, model));
}

/**
 * The one path every generation takes (chat, compare, evals, CLI): resolves the provider and
 * streams. Policy that is ours, not the provider's (retries, timeouts, cost, fallback, audit), lives here.
 */
export class GenerationService {
  readonly #registry: ProviderRegistry;
  readonly #gateway: EgressGateway | undefined;
  readonly #prices: PriceTable | undefined;
  readonly #settings: GenerationSettings | undefined;
  readonly #policy: RetryPolicy;
  readonly #random: () => number;
  readonly #routes: GenerationServiceOptions['routes'];
  readonly #budgets: GenerationServiceOptions['budgets'];

  constructor(registry: ProviderRegistry, options: GenerationServiceOptions = {}) {
    this.#registry = registry;
    this.#gateway = options.gateway;
    this.#prices = options.prices;
    this.#settings = options.settings;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
    this.#random = options.random ?? Math.random;
    this.#routes = options.routes;
    this.#budgets = options.budgets;
  }

  /** Where a prompt to `ref` would go: null for this device, else the host. */
  destination(ref: string): string | null {
    const { provider, model } = this.#registry.resolve(ref);
    return provider.destination(model);
  }

  async *stream(ref: string, messages: ChatMessage[], params: GenerationParams, options: GenerateOptions = {}): AsyncGenerator<StreamEvent> {
    const name = routeName(ref);
    if (name !== null) {
      yield* this.#streamRoute(name, messages, params, options);
      return;
    }
    const { provider, model } = this.#registry.resolve(ref);
    const primary: Attempt = { ref, provider, model, fallbackFrom: null, priorRetries: 0 };
    const retries = { count: 0 };
    try {
      yield* this.#withRetries(primary, messages, params, options, retries);
    } catch (error) {
      const fallback = options.fallback;
      // A policy refusal is the answer, not a failure to route around.
      if (!fallback || !isAppError(error) || error.code === 'ABORTED' || error.code === 'POLICY_BLOCKED' || error.code === 'POLICY_CONFIRM' || options.signal?.aborted) throw error;
      const resolved = this.#registry.resolve(fallback);
      yield* this.#withRetries(
        { ref: fallback, provider: resolved.provider, model: resolved.model, fallbackFrom: ref, priorRetries: retries.count },
        messages,
        params,
        options,
        { count: 0 },
      );
    }
  }

  #route(name: string): PolicyRoute {
    const route = this.#routes?.route(name) ?? null;
    if (!route) {
      throw new AppError('NOT_FOUND', `There is no route "${name}". Define it under routes: in the data policy (--policy file or Settings → Data policy).`, { ref: formatRef('route', name) });
    }
    return route;
  }

  async *#streamRoute(name: string, messages: ChatMessage[], params: GenerationParams, options: GenerateOptions): AsyncGenerator<StreamEvent> {
    const route = this.#route(name);
    yield* routeStream(name, route, {
      run: (ref, policy) => this.#step(ref, messages, params, { ...options, policy: { ...options.policy, ...policy } }),
      budget: (endpoint) => this.#budgets?.stateFor(endpoint) ?? null,
      record: (report, host) => this.#gateway?.recordDecision({ provider: 'route', host: host ?? (report.answeredBy ? 'local' : 'none'), model: name, purpose: 'route', status: routeAuditStatus(report) }),
      signal: options.signal,
    });
  }

  /** One model of a route; an unknown provider fails the step, not the route. */
  async *#step(ref: string, messages: ChatMessage[], params: GenerationParams, options: GenerateOptions): AsyncGenerator<StreamEvent> {
    const { provider, model } = this.#registry.resolve(ref);
    yield* this.#withRetries({ ref, provider, model, fallbackFrom: null, priorRetries: 0 }, messages, params, options, { count: 0 });
  }

  /** Streams one model; throws only when it failed before its first delta, after all retries. */
  async *#withRetries(
    attempt: Attempt,
    messages: ChatMessage[],
    params: GenerationParams,
    options: GenerateOptions,
    retries: { count: number },
  ): AsyncGenerator<StreamEvent> {
    const local = attempt.provider.capabilities.local;
    const policy = { ...this.#policy, ...options.policy };
    params = await this.#withFilledSampling(attempt, params, options);
    // Screened per destination: a fallback to another provider gets that provider's policy.
    const screening = local ? null : await this.#screen(attempt, messages, params, options);
    const sent = screening?.messages ?? messages;
    const sentParams = screening?.params ?? params;
    // The policy decision is written with the first request's row, in one commit.
    const pending = { rows: screening?.auditRow ? [screening.auditRow] : [] };
    const deadline = new AbortController();
    const totalTimer = local ? null : setTimeout(() => deadline.abort(), policy.totalTimeoutMs);
    try {
      for (let n = 0; ; n++) {
        retries.count = n;
        try {
          yield* restoredStream(this.#once(attempt, sent, sentParams, options, deadline.signal, n + attempt.priorRetries, local ? null : policy.firstTokenTimeoutMs, pending), screening);
          return;
        } catch (error) {
          const mapped = isAppError(error) ? error : new AppError('INTERNAL', `Generation failed: ${error instanceof Error ? error.message : String(error)}`);
          if (local || !isRetryable(mapped) || n >= policy.maxRetries || options.signal?.aborted) throw mapped;
          if (deadline.signal.aborted) throw mapped;
          const slept = await sleep(retryDelayMs(mapped, n, policy, this.#random), AbortSignal.any([deadline.signal, ...(options.signal ? [options.signal] : [])]));
          if (!slept) throw options.signal?.aborted ? new AppError('ABORTED', 'The generation was stopped.') : mapped;
        }
      }
    } finally {
      if (totalTimer) clearTimeout(totalTimer);
    }
  }

  async #screen(attempt: Attempt, messages: ChatMessage[], params: GenerationParams, options: GenerateOptions): Promise<ScreenResult | null> {
    if (!this.#gateway) return null;
    let host: string | null = null;
    try {
      host = attempt.provider.destination(attempt.model);
    } catch {
      host = null;
    }
    const target = { provider: egressIdOf(attempt.provider, attempt.model), model: attempt.model, purpose: 'generation', ref: attempt.ref, host: host ?? attempt.provider.id };
    return this.#gateway.screen(target, messages, { signal: options.signal, params, bypass: options.dataPolicy === 'off', confirmWarnings: options.confirmWarnings });
  }

  async #withFilledSampling(attempt: Attempt, params: GenerationParams, options: GenerateOptions): Promise<GenerationParams> {
    if (!options.fillSampling) return params;
    let recommended: SamplingParams | null = null;
    try {
      recommended = (await attempt.provider.recommendedSampling?.(attempt.model, { signal: options.signal })) ?? null;
    } catch {
      // An unreadable recommendation is no reason to fail the answer: the fallback applies, and the stream reports the real problem.
      recommended = null;
    }
    // A provider that ignores seeds gets no invented one (and records none); a seed the user set still goes through.
    const { seed, ...rest } = options.fillSampling;
    const fill = attempt.provider.capabilities.seed ? { ...rest, seed } : rest;
    return mergeParams(fill, recommended, params);
  }

  /** One request to one model, audited when remote. */
  async *#once(
    attempt: Attempt,
    messages: ChatMessage[],
    params: GenerationParams,
    options: GenerateOptions,
    deadline: AbortSignal,
    retriesSoFar: number,
    firstTokenTimeoutMs: number | null,
    pending: { rows: AuditRecord[] },
  ): AsyncGenerator<StreamEvent> {
    const { provider, model, ref } = attempt;
    const local = provider.capabilities.local;
    const call: EgressCall | null = !local && this.#gateway ? this.#gateway.open({ provider: egressIdOf(provider, model), model, purpose: 'generation' }) : null;
    const controller = new AbortController();
    let timedOut: 'first-token' | 'total' | null = null;
    const onDeadline = (): void => {
      timedOut ??= 'total';
      controller.abort();
    };
    const onUser = (): void => controller.abort();
    deadline.addEventListener('abort', onDeadline, { once: true });
    options.signal?.addEventListener('abort', onUser, { once: true });
    if (options.signal?.aborted) controller.abort();
    const firstTimer = firstTokenTimeoutMs === null ? null : setTimeout(() => {
      timedOut ??= 'first-token';
      controller.abort();
    }, firstTokenTimeoutMs);
    let text = '';
    let destination: string | null = null;
    try {
      destination = provider.destination(model);
    } catch {
      destination = null;
    }
    const timeoutError = (): AppError =>
      new AppError(
        'PROVIDER_TIMEOUT',
        timedOut === 'first-token'
          ? `${destination ?? provider.id} sent no first token within ${Math.round((firstTokenTimeoutMs ?? 0) / 1000)} s.`
          : `The request to ${destination ?? provider.id} took longer than the total timeout.`,
        { provider: provider.id, model, retryable: timedOut === 'first-token' },
      );
    try {
      // Offline and disabled win over every other reason (e.g. a missing key), and cost nothing.
      if (call && this.#gateway) this.#gateway.check(egressIdOf(provider, model), destination ?? provider.id);
      for await (const event of provider.stream({ model, messages, params }, { signal: controller.signal, fetch: call?.fetch, sequences: options.sequences, oneShot: options.oneShot })) {
        if (event.type === 'delta') {
          if (firstTimer) clearTimeout(firstTimer);
          text += event.text;
          yield event;
          continue;
        }
        let metrics = event.metrics;
        if (metrics.stopReason === 'aborted' && timedOut && !options.signal?.aborted) {
          if (event.text.length === 0) throw timeoutError();
          metrics = withFailure(metrics, timeoutError());
        }
        const final = finalizeMetrics({
          ref: `${provider.id}:${model}`,
          local,
          host: destination,
          messages,
          text: event.text,
          metrics,
          usageDetail: event.usageDetail,
          retries: retriesSoFar,
          fallbackFrom: attempt.fallbackFrom,
          prices: this.#prices,
          localHourlyRateUsd: this.#settings?.get('localHourlyRateUsd') ?? 0,
        });
        final.sampling = samplingOf(params);
        this.#audit(call, attempt, messages, event.text, final, null, pending);
        yield { ...event, metrics: final };
        return;
      }
      throw new AppError('PROVIDER_BAD_RESPONSE', `${provider.id} ended without a final result.`, { ref });
    } catch (error) {
      let mapped = isAppError(error) ? error : new AppError('INTERNAL', `Generation failed: ${error instanceof Error ? error.message : String(error)}`);
      if (timedOut && (mapped.code === 'ABORTED' || mapped.code === 'PROVIDER_BAD_RESPONSE')) mapped = timeoutError();
      if (!local) this.#audit(call, attempt, messages, text, null, mapped, pending);
      const stopped = mapped.code === 'ABORTED' && options.signal?.aborted === true;
      // After the first delta the answer has begun: it ends here with what arrived (no retry, which
      // would send the text again), so every layer above reads the final or partial text from `done`.
      if (stopped || text.length > 0) {
        const metrics = { ...failedMetrics(formatRef(provider.id, model), mapped, { aborted: stopped }), host: destination, retries: retriesSoFar, fallbackFrom: attempt.fallbackFrom };
        yield { type: 'done', text, metrics };
        return;
      }
      throw mapped;
    } finally {
      if (firstTimer) clearTimeout(firstTimer);
      deadline.removeEventListener('abort', onDeadline);
      options.signal?.removeEventListener('abort', onUser);
    }
  }

  #audit(
    call: EgressCall | null,
    attempt: Attempt,
    messages: ChatMessage[],
    text: string,
    metrics: GenerationMetrics | null,
    error: AppError | null,
    pending: { rows: AuditRecord[] },
  ): void {
    if (!call || !this.#gateway) return;
    const stats = call.stats();
    const withText = this.#settings?.get('auditPromptText') ?? false;
    const status = error
      ? `error:${error.code}`
      : metrics?.stopReason === 'aborted'
        ? 'aborted'
        : metrics?.error
          ? `incomplete:${metrics.error.code}`
          : 'ok';
    let host = stats.host;
    if (!host) {
      try {
        host = attempt.provider.destination(attempt.model);
      } catch {
        host = null;
      }
    }
    call.record(
      {
        provider: egressIdOf(attempt.provider, attempt.model),
        host: host ?? 'unknown',
        model: attempt.model,
        purpose: 'generation',
        inputTokens: metrics?.promptTokens ?? null,
        outputTokens: metrics?.completionTokens ?? null,
        bytesSent: stats.bytesSent,
        bytesReceived: stats.bytesReceived,
        status,
        httpStatus: stats.httpStatus,
        requestId: stats.requestId ?? metrics?.requestId ?? null,
        promptText: withText ? JSON.stringify(messages) : null,
        responseText: withText ? text : null,
      },
      pending.rows.splice(0),
    );
  }
}
