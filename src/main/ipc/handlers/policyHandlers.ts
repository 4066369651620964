import type { AuditLog } from '../../core/audit/AuditLog';
import type { DataPolicyService } from '../../core/policy/DataPolicyService';
import { policyCost } from '../../core/policy/policyCost';
import { policyReport } from '../../core/policy/policyReport';
import type { EvalService } from '../../core/evals/EvalService';
import type { DomainHandlers } from '../Router';

export function policyHandlers(policy: DataPolicyService, audit: Pick<AuditLog, 'between'>, evals: Pick<EvalService, 'results' | 'getRun'>): DomainHandlers<'policy'> {
  return {
    'policy.evalCost': ({ withPolicyRunId, withoutPolicyRunId }) =>
      policyCost(evals.results(withPolicyRunId), evals.results(withoutPolicyRunId), {
        with: evals.getRun(withPolicyRunId).runCard.dataPolicy ?? 'apply',
        without: evals.getRun(withoutPolicyRunId).runCard.dataPolicy ?? 'apply',
      }),
    // Normalised to UTC ISO so the string comparison in SQL matches the log's own times.
    'policy.report': ({ since, until }) => {
      const iso = (t: string | null): string | null => (t === null ? null : new Date(t).toISOString());
      const range = { since: iso(since), until: iso(until) };
      return policyReport(audit.between(range.since, range.until), range);
    },
    'policy.get': () => policy.view(),
    'policy.set': ({ yaml }) => policy.setStored(yaml),
    'policy.preview': async ({ ref, text, yaml }) => {
      const s = await policy.preview(ref, text, yaml);
      return { outcome: s.outcome, findings: s.findings, sent: s.outcome === 'blocked' ? null : s.messages[0]!.content, refusal: s.refusal };
    },
  };
}
