import type { AuditSummary, DecideInput, Decision, DecisionRecordData } from '../../../shared/contract/decide';
import { DecideInputSchema } from '../../../shared/contract/decide';
import type { CostSettings } from '../../../shared/domain/costModel';
import type { RunCard, RunResults } from '../../../shared/domain/evals';
import * as modelRef from '../../../shared/domain/modelRef';
import { AppError } from '../../../shared/errors';
import type { AuditRow } from '../audit/AuditRepository';
import type { AuditVerifyResult } from '../audit/AuditLog';
import { verifySummary } from '../audit/auditExport';
import { parseDecisionRecord, renderDecisionRecord } from './decisionRecord';
import { evaluateDecision, type PriceLookup } from './evaluateDecision';

/** What the record says about a model beyond the run card: its licence and where its data goes. */
export interface ModelFactsForRecord {
  licence: string | null;
  /** "on this device" or the provider's host. */
  dataGoesTo: string;
}

export interface DecideServiceOptions {
  results: (runId: string) => RunResults;
  runCard: (runId: string) => RunCard;
  price: PriceLookup;
  costSettings: () => CostSettings;
  describe: (ref: string) => Promise<ModelFactsForRecord>;
  audit: { all: () => AuditRow[]; verify: () => AuditVerifyResult };
  appVersion: string;
  now?: () => Date;
}

const FINISHED = new Set(['completed', 'cancelled', 'interrupted', 'failed']);

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'run';
}

/**
 * Audit rows that belong to the run: written between its start and end by one of its remote
 * models (a request id the run's cells recorded always counts). A chat with the same model in
 * that window would be counted too; the record says so.
 */
export function auditSummaryFor(results: RunResults, rows: readonly AuditRow[], verify: AuditVerifyResult): AuditSummary {
  const from = results.run.createdAt;
  const to = results.run.finishedAt;
  const remote = results.models.filter((ref) => !modelRef.isLocal(ref));
  const names = new Set(remote.flatMap((ref) => [modelRef.parse(ref).model, modelRef.compatParts(ref)?.model ?? '']).filter(Boolean));
  const requestIds = new Set(results.cells.flatMap((c) => (c.metrics.requestId ? [c.metrics.requestId] : [])));
  const inWindow = (time: string): boolean => time >= from && (to === null || time <= to);
  const mine = rows.filter((r) => (r.requestId !== null && requestIds.has(r.requestId)) || (inWindow(r.time) && r.model !== null && names.has(r.model)));
  const hosts = new Map<string, { host: string; requests: number; bytesSent: number; bytesReceived: number }>();
  for (const r of mine) {
    const h = hosts.get(r.host) ?? { host: r.host, requests: 0, bytesSent: 0, bytesReceived: 0 };
    h.requests++;
    h.bytesSent += r.bytesSent;
    h.bytesReceived += r.bytesReceived;
    hosts.set(r.host, h);
  }
  return { from, to, hosts: [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host)), chainOk: verify.ok, chainSummary: verifySummary(verify) };
}

/** The Decide view's numbers and the decision record, for a finished run. */
export class DecideService {
  readonly #o: DecideServiceOptions;

  constructor(options: DecideServiceOptions) {
    this.#o = options;
  }

  evaluate(input: DecideInput): Decision {
    const parsed = DecideInputSchema.parse(input);
    const results = this.#o.results(parsed.runId);
    return evaluateDecision(parsed, results, this.#o.price, this.#o.costSettings());
  }

  /** The record needs a finished run: a decision on half a run would be signed as if it were whole. */
  async record(input: DecideInput & { question?: string }): Promise<{ filename: string; mimeType: string; content: string; data: DecisionRecordData }> {
    const { question, ...rest } = input;
    const results = this.#o.results(rest.runId);
    if (!FINISHED.has(results.run.status)) {
      throw new AppError('CONFLICT', `Run ${rest.runId} is still ${results.run.status}; write the decision record once it has finished.`, { runId: rest.runId, status: results.run.status });
    }
    const decision = evaluateDecision(rest, results, this.#o.price, this.#o.costSettings());
    const card = this.#o.runCard(rest.runId);
    const facts = await Promise.all(
      results.models.map(async (ref) => {
        const f = await this.#o.describe(ref).catch(() => ({ licence: null, dataGoesTo: modelRef.isLocal(ref) ? 'on this device' : 'unknown host' }));
        const m = card.models.find((x) => x.id === ref);
        return { ref, licence: f.licence, identity: m?.sha256 ?? m?.providerModelId ?? null, dataGoesTo: f.dataGoesTo };
      }),
    );
    // What-if hosted lines serve a local model's weights elsewhere: same licence and file, another destination.
    for (const m of decision.models) {
      const base = m.basedOn ? facts.find((f) => f.ref === m.basedOn) : undefined;
      if (base) facts.push({ ref: m.ref, licence: base.licence, identity: base.identity, dataGoesTo: 'the hosted endpoint (a what-if: nothing was sent)' });
    }
    const amount = `${decision.volume.amount.toLocaleString('en-US')} ${decision.volume.unit} a day`;
    const data: DecisionRecordData = {
      format: 'parity-decision-record',
      version: 1,
      createdAt: (this.#o.now?.() ?? new Date()).toISOString(),
      appVersion: this.#o.appVersion,
      question: question?.trim() || `Which model should run “${results.run.suiteName}” at ${amount}?`,
      decision,
      modelFacts: facts,
      scorecards: results.scorecards,
      runCard: card,
      audit: auditSummaryFor(results, this.#o.audit.all(), this.#o.audit.verify()),
    };
    return { filename: `decision-${slug(results.run.suiteName)}-${rest.runId.slice(0, 8)}.html`, mimeType: 'text/html', content: renderDecisionRecord(data), data };
  }

  /** Reads a record's embedded data; with a later run, evaluates it under the record's volume, rule and settings. */
  importRecord(content: string, runId?: string): { record: DecisionRecordData; later: Decision | null } {
    const record = parseDecisionRecord(content);
    if (!runId) return { record, later: null };
    const d = record.decision;
    const later = evaluateDecision(
      { runId, volume: d.volume, monthlyGrowth: d.monthlyGrowth, overrides: d.settings, rule: d.recommendation.rule },
      this.#o.results(runId),
      this.#o.price,
      this.#o.costSettings(),
    );
    return { record, later };
  }
}
