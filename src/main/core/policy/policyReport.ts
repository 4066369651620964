import type { PolicyReport, PolicyReportRow } from '../../../shared/contract/policy';
import { endpointKey } from '../../../shared/domain/modelRef';

/** The audit fields a report reads. */
export interface ReportAuditRow {
  provider: string;
  purpose: string;
  status: string;
  bytesSent: number;
}

const OUTCOME = /^policy:(redacted|warned|blocked)\b/;
// `openai:gpt-4o-mini=failed:PROVIDER_RATE_LIMITED` / `…=skipped:budget_spent…` in a route row.
const ROUTE_STEP = /\s(\S+)=(failed|skipped):/g;

/**
 * Requests sent, redacted, warned, blocked and rerouted, by provider, from the audit log's own
 * rows (so the report proves what the log proves). Sent counts requests that carried bytes;
 * rerouted counts the route steps that failed or were skipped, under the provider they skipped.
 */
export function policyReport(rows: Iterable<ReportAuditRow>, range: { since: string | null; until: string | null }): PolicyReport {
  const by = new Map<string, PolicyReportRow>();
  const row = (provider: string): PolicyReportRow => {
    let r = by.get(provider);
    if (!r) by.set(provider, (r = { provider, sent: 0, redacted: 0, warned: 0, blocked: 0, rerouted: 0 }));
    return r;
  };
  for (const r of rows) {
    if (r.purpose === 'generation' && r.bytesSent > 0) row(r.provider).sent += 1;
    else if (r.purpose === 'policy') {
      const outcome = OUTCOME.exec(r.status)?.[1] as 'redacted' | 'warned' | 'blocked' | undefined;
      if (outcome) row(r.provider)[outcome] += 1;
    } else if (r.purpose === 'route') {
      for (const m of r.status.matchAll(ROUTE_STEP)) row(endpointKey(m[1]!)).rerouted += 1;
    }
  }
  const providers = [...by.values()].sort((a, b) => a.provider.localeCompare(b.provider));
  const total = providers.reduce(
    (t, p) => ({ ...t, sent: t.sent + p.sent, redacted: t.redacted + p.redacted, warned: t.warned + p.warned, blocked: t.blocked + p.blocked, rerouted: t.rerouted + p.rerouted }),
    { provider: 'total', sent: 0, redacted: 0, warned: 0, blocked: 0, rerouted: 0 },
  );
  return { since: range.since, until: range.until, providers, total };
}
