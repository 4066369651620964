import { detectorLabel, type PolicyRoute, type RouteReport, type RouteStep } from '../../../shared/domain/dataPolicy';
import { ROUTE_PROVIDER, endpointKey, format as formatRef, isLocal } from '../../../shared/domain/modelRef';
import { AppError, isAppError } from '../../../shared/errors';
import type { BudgetState } from '../policy/BudgetLedger';
import type { PolicyFinding } from '../policy/DataPolicyService';
import type { StreamEvent } from '../providers/ModelProvider';
import type { RetryPolicy } from './retryPolicy';

export interface RouteStreamDeps {
  /** Streams one model; throws only when it failed before its first delta (GenerationService's contract). */
  run(ref: string, policy: Partial<RetryPolicy>): AsyncGenerator<StreamEvent>;
  /** The spending state of an endpoint, or null when the policy sets no budget for it. */
  budget(endpoint: string): BudgetState | null;
  /** Writes the route decision to the audit log. */
  record(report: RouteReport, host: string | null): void;
  signal?: AbortSignal;
}

function localOnlyReason(error: AppError): string | null {
  const findings = (error.details?.findings ?? []) as PolicyFinding[];
  const local = findings.filter((f) => f.action === 'local');
  return local.length > 0 ? `local only: ${local.map((f) => `${f.count} ${detectorLabel(f.detector)}`).join(', ')}` : null;
}

function explain(steps: RouteStep[], answeredBy: string | null): string {
  const before = steps.filter((s) => s.outcome !== 'answered').map((s) => `${s.ref} ${s.outcome} (${s.reason})`);
  if (!answeredBy) return `no model answered: ${before.join('; ')}`;
  return before.length === 0 ? 'first choice' : `${before.join('; ')}; answered by ${answeredBy}`;
}

/**
 * Tries the models of a route in order. A step is skipped when its provider's budget is spent,
 * or (remote steps) when the message tripped a detector set to `local`; it fails over to the next
 * on any error before its first delta (429, 5xx, timeout, outage, refusal by the policy). Once text
 * has arrived there is no switching: the answer, even an incomplete one, is that model's.
 */
export async function* routeStream(name: string, route: PolicyRoute, deps: RouteStreamDeps): AsyncGenerator<StreamEvent> {
  const steps: RouteStep[] = [];
  let localOnly: string | null = null;
  let lastError: AppError | null = null;
  for (const ref of route.models) {
    const remote = !isLocal(ref);
    if (remote && localOnly) {
      steps.push({ ref, outcome: 'skipped', reason: localOnly });
      continue;
    }
    const budget = remote ? deps.budget(endpointKey(ref)) : null;
    const state = budget ? { budget: budget.summary } : {};
    if (budget?.exhausted) {
      steps.push({ ref, outcome: 'skipped', reason: `budget spent: ${budget.summary}`, ...state });
      continue;
    }
    try {
      for await (const event of deps.run(ref, { maxRetries: route.retries })) {
        if (event.type === 'delta') {
          yield event;
          continue;
        }
        steps.push({ ref, outcome: 'answered', reason: null, ...state });
        const report: RouteReport = { name, answeredBy: ref, reason: explain(steps, ref), steps };
        deps.record(report, event.metrics.host);
        const previous = steps.length > 1 ? steps[steps.length - 2]!.ref : null;
        yield { ...event, metrics: { ...event.metrics, fallbackFrom: event.metrics.fallbackFrom ?? previous, route: report } };
        return;
      }
    } catch (error) {
      const mapped = isAppError(error) ? error : new AppError('INTERNAL', error instanceof Error ? error.message : String(error));
      // A question for the user (a warn rule in chat) is answered by them, not by the next step.
      if (mapped.code === 'ABORTED' || mapped.code === 'POLICY_CONFIRM' || deps.signal?.aborted) throw mapped;
      lastError = mapped;
      localOnly ??= mapped.code === 'POLICY_BLOCKED' ? localOnlyReason(mapped) : null;
      steps.push({ ref, outcome: 'failed', reason: `${mapped.code}: ${mapped.message}`, ...state });
    }
  }
  const report: RouteReport = { name, answeredBy: null, reason: explain(steps, null), steps };
  deps.record(report, null);
  const code = lastError?.code ?? 'POLICY_BLOCKED';
  throw new AppError(code, `${formatRef(ROUTE_PROVIDER, name)}: ${report.reason}`, { route: report });
}

/** `route:analyst answered-by=anthropic:claude-… openai:gpt-…=failed:PROVIDER_RATE_LIMITED`: the decision without any message text. */
export function routeAuditStatus(report: RouteReport): string {
  const steps = report.steps
    .filter((s) => s.outcome !== 'answered')
    .map((s) => `${s.ref}=${s.outcome}:${s.outcome === 'failed' ? (s.reason ?? '').split(':')[0] : (s.reason ?? '').replace(/\s+/g, '_')}`);
  // The budget state of every step that has one, spent or not, so the log shows how close each came.
  const budgets = report.steps.filter((s) => s.budget).map((s) => `budget:${s.ref}=${s.budget!.replace(/\s+/g, '_')}`);
  return [formatRef(ROUTE_PROVIDER, report.name), `answered-by=${report.answeredBy ?? 'none'}`, ...steps, ...budgets].join(' ');
}
