import { DecisionRecordDataSchema, type Decision, type DecisionRecordData, type ModelDecision } from '../../../shared/contract/decide';
import { formatSeeds, STATS_UNIT_NOTE } from '../../../shared/domain/evals';
import { breakEvenLayout } from '../../../shared/domain/breakEvenLayout';
import { AppError } from '../../../shared/errors';
import { formatMs, formatPassRate, formatPercent, formatUsd } from '../../../shared/format';

/**
 * The decision record: one HTML file with no scripts, fonts or images from anywhere (a CSP that
 * forbids every fetch makes sure), print-friendly, and carrying its own data as JSON in a
 * non-executed script element so Parity can read it back.
 */
export const RECORD_DATA_ID = 'parity-decision-data';

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function tasks(v: number | null): string {
  return v === null ? '–' : `${Math.round(v).toLocaleString('en-US')}`;
}

function usd(v: number | null, estimate = false): string {
  return v === null ? '–' : `${formatUsd(v)}${estimate ? '*' : ''}`;
}

function kindLabel(m: Pick<ModelDecision, 'kind'> | undefined): string {
  return m?.kind === 'local' ? 'local' : m?.kind === 'hosted' ? 'hosted open-weight' : 'API';
}

/** The break-even chart as an SVG string, drawn from the same layout as the Decide view's chart. */
export function breakEvenSvg(d: Decision): string {
  const layout = breakEvenLayout(d);
  if (layout === null) return '<p>No model has a known cost above $0, so there is nothing to chart.</p>';
  const { width: w, height: h, plot } = layout;
  const grid = [
    ...layout.yTicks.map((t) => `<line x1="${plot.left}" x2="${plot.right}" y1="${t.at}" y2="${t.at}" stroke="#e5e7eb"/><text x="${plot.left - 6}" y="${t.at + 4}" text-anchor="end" font-size="10">${esc(t.label)}</text>`),
    ...layout.xTicks.map((t) => `<line y1="${plot.top}" y2="${plot.bottom}" x1="${t.at}" x2="${t.at}" stroke="#f3f4f6"/><text x="${t.at}" y="${plot.bottom + 14}" text-anchor="middle" font-size="10">${esc(t.label)}</text>`),
  ];
  const lines = layout.series
    .map((s) => (s.points ? `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${s.points}"><title>${esc(s.ref)}</title></polyline>` : ''))
    .join('');
  const marks = layout.marks.map((m) => `<g class="be"><circle cx="${m.cx}" cy="${m.cy}" r="5" fill="none" stroke="#111827" stroke-width="2"/><title>${esc(m.label)}</title></g>`).join('');
  const x = layout.volumeX;
  const volume = x === null ? '' : `<line x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="#111827" stroke-dasharray="4 4"/><text x="${x + 4}" y="${plot.top + 10}" font-size="10">your volume</text>`;
  const legend = layout.series.map((s) => `<span class="lg"><i style="background:${s.color}"></i>${esc(s.ref)} (${esc(kindLabel(d.models.find((m) => m.ref === s.ref)))})</span>`).join(' ');
  return `<figure><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="Monthly cost against volume, log scales">${grid.join('')}
<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="#9ca3af"/><line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#9ca3af"/>${lines}${volume}${marks}
<text x="${(w + plot.left) / 2}" y="${h - 8}" text-anchor="middle" font-size="11">tasks per day (log scale)</text>
<text x="14" y="${h / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${h / 2})">USD per month (log scale)</text></svg>
<figcaption>${legend}<br>Solid: local (steps are added machines) · dashed: hosted open-weight · dotted: API · circles: break-even points.</figcaption></figure>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderDecisionRecord(data: DecisionRecordData): string {
  const d = data.decision;
  const rec = d.recommendation;
  const volume = `${d.volume.amount.toLocaleString('en-US')} ${d.volume.unit} per day${d.volume.unit === 'tokens' ? ` (≈ ${tasks(d.tasksPerDay)} tasks at ${Math.round(d.meanTokensPerTask ?? 0)} tokens each)` : ''}${d.monthlyGrowth > 0 ? `, growing ${formatPercent(d.monthlyGrowth)} a month` : ''}`;
  const facts = table(
    ['Model', 'Kind', 'Licence', 'sha256 / provider model', 'Where data goes'],
    data.modelFacts.map((f) => [`<code>${esc(f.ref)}</code>`, esc(kindLabel(d.models.find((m) => m.ref === f.ref)!)), esc(f.licence ?? '–'), `<code>${esc(f.identity ?? '–')}</code>`, esc(f.dataGoesTo)]),
  );
  const scores = table(
    ['Model', 'Pass rate [95% CI over cases]', 'Cases', 'Passed cells', 'Latency p50 / p95', 'Tokens in / out'],
    data.scorecards.map((s) => [`<code>${esc(s.modelId)}</code>`, s.passRate === null ? formatPassRate(null) : `${formatPercent(s.passRate)} [${formatPercent(s.passRateCI95[0])}, ${formatPercent(s.passRateCI95[1])}]`, String(s.cases), `${s.passes}/${s.cells}${s.ungraded ? ` · ${s.ungraded} not graded` : ''}`, `${formatMs(s.latencyMsP50)} / ${formatMs(s.latencyMsP95)}`, `${s.inputTokens} / ${s.outputTokens}`]),
  );
  const tests = d.pairedTests.length
    ? table(['A', 'B', 'Cases', 'A better', 'B better', 'p', 'Significant (p < 0.05)'], d.pairedTests.map((t) => [`<code>${esc(t.modelA)}</code>`, `<code>${esc(t.modelB)}</code>`, String(t.pairs), String(t.onlyA), String(t.onlyB), t.pValue.toPrecision(3), t.significant ? 'yes' : 'no']))
    : '<p>A paired test needs two models over the same cases.</p>';
  const costs = table(
    ['Model', 'Monthly cost', d.monthlyGrowth > 0 ? 'In 12 months' : '', 'Machines', 'Per task', 'Per successful task', 'Unknown because'].filter(Boolean),
    d.models.map((m) =>
      [`<code>${esc(m.ref)}</code>`, usd(m.monthlyCostUsd, m.estimate), d.monthlyGrowth > 0 ? usd(m.monthlyCostIn12MonthsUsd, m.estimate) : null, m.machines === null ? '–' : String(m.machines), usd(m.costPerTaskUsd, m.estimate), usd(m.costPerSuccessUsd, m.estimate), esc(m.unknownReason ?? '')].filter((c): c is string => c !== null),
    ),
  );
  const breakEvens = d.breakEvens.length
    ? table(['Local', 'Remote', 'Break-even (tasks/day)', 'Local always cheaper from', 'In words'], d.breakEvens.map((b) => [`<code>${esc(b.local)}</code>`, `<code>${esc(b.remote)}</code> (${b.remoteKind === 'hosted' ? 'hosted open-weight' : 'API'})`, tasks(b.firstTasksPerDay), tasks(b.alwaysFromTasksPerDay), esc(b.note)]))
    : '<p>Break-evens need a local model and a remote one in the run.</p>';
  const s = d.settings;
  const settings = table(['Setting', 'Value'], [
    ['Local hardware', s.localMode === 'rented' ? `rented GPU at ${esc(formatUsd(s.gpuHourlyUsd))}/h` : `owned: ${esc(formatUsd(s.hardwareUsd))} over ${s.hardwareLifeYears} years, ${s.powerWatts} W at ${esc(formatUsd(s.electricityUsdPerKWh))}/kWh`],
    ['Hours of operation', `${s.hoursPerDay} h/day`],
    ['Operations overhead', `${esc(formatUsd(s.opsUsdPerMonth))}/month`],
    ['Parallel requests per machine', String(s.localParallelism)],
    ['Peak factor', `${s.peakFactor}×`],
  ]);
  const card = data.runCard;
  const runCard = table(
    ['Model', 'sha256 / provider model', 'Quantisation', 'Backend', 'Threads', 'Parameters', 'Seed per repeat'],
    card.models.map((m) => [`<code>${esc(m.id)}</code>`, `<code>${esc(m.sha256 ?? m.providerModelId ?? '–')}</code>`, esc(m.quantization ?? '–'), esc(m.backend ?? '–'), esc(m.threads ?? '–'), `<code>${esc(JSON.stringify(m.params))}</code>`, esc(formatSeeds(m.seeds))]),
  );
  const a = data.audit;
  const audit = a.hosts.length
    ? table(['Host', 'Requests', 'Bytes sent', 'Bytes received'], a.hosts.map((h) => [esc(h.host), String(h.requests), String(h.bytesSent), String(h.bytesReceived)]))
    : '<p>No outbound request was recorded for this run: every prompt stayed on this device.</p>';
  // `<` escaped so no value can close the script element; JSON.parse reads \u003c back as `<`.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Decision record: ${esc(d.suiteName)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px auto;max-width:1000px;color:#111827;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid #d1d5db;padding:5px 7px;text-align:left;vertical-align:top;font-size:13px}
thead th{background:#f3f4f6}code{word-break:break-all;font-size:12px}.rec{border:2px solid #111827;padding:12px 16px;border-radius:6px}
.rec strong.winner{font-size:18px}.lg{margin-right:12px;white-space:nowrap}.lg i{display:inline-block;width:10px;height:10px;margin-right:4px}
.muted{color:#4b5563}.sign{margin-top:36px;display:flex;gap:48px}.sign div{flex:1;border-top:1px solid #111827;padding-top:4px}
figure{margin:8px 0}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}table,figure,.rec{break-inside:avoid}thead th{background:none}a{color:inherit}}
</style></head><body>
<h1>Decision record</h1>
<p class="muted">Parity ${esc(data.appVersion)} · written ${esc(data.createdAt)} · run <code>${esc(d.runId)}</code> of “${esc(d.suiteName)}” v${d.suiteVersion} (${esc(d.runStatus)})</p>
<h2>Question</h2>
<p>${esc(data.question)}</p>
<p>Volume: <strong>${esc(volume)}</strong>.</p>
<h2>Recommendation</h2>
<div class="rec" data-testid="recommendation">
<p>${rec.winner ? `<strong class="winner"><code>${esc(rec.winner)}</code></strong>` : '<strong class="winner">No model meets the rule</strong>'}</p>
<p>Rule: ${esc(rec.ruleText)}.</p>
<p>${esc(rec.summary)}</p>
<ul>${rec.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
</div>
<h2>Models</h2>${facts}
<h2>Scorecard</h2>${scores}<p class="muted">${esc(STATS_UNIT_NOTE)}</p>
<h2>Paired tests (exact sign test over cases)</h2>${tests}
<h2>Cost at this volume</h2>${costs}<p class="muted">* Local costs are estimates from the cost settings below, not bills. “–” is unknown, never $0.</p>
<h2>Break-even</h2>${breakEvenSvg(d)}${breakEvens}
<h2>Cost model and its settings</h2><ul>${d.assumptions.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>${settings}
<h2>Run card</h2>
<p>Parity ${esc(card.appVersion)} · ${esc(card.platform)}/${esc(card.arch)} · ${esc(card.createdAt)} · repeat ${card.repeat} · parameters <code>${esc(JSON.stringify(card.params))}</code></p>${runCard}
<h2>Outbound requests for this run (audit log)</h2>
<p>${a.chainOk ? 'Audit chain verified' : '<strong>AUDIT CHAIN BROKEN</strong>'}: ${esc(a.chainSummary)}.</p>${audit}
<p class="muted">Counted: requests from ${esc(a.from)} to ${esc(a.to ?? 'now')} to this run's remote models, and any request id its cells recorded. Another use of the same model in that window would be counted too.</p>
<div class="sign"><div>Reviewed by</div><div>Date</div></div>
<script type="application/json" id="${RECORD_DATA_ID}">${json}</script>
</body></html>
`;
}

/** The data a record embeds; a file that is not a record, or a damaged one, says which. */
export function parseDecisionRecord(html: string): DecisionRecordData {
  const match = new RegExp(`<script type="application/json" id="${RECORD_DATA_ID}">([\\s\\S]*?)</script>`).exec(html);
  if (!match) throw new AppError('VALIDATION_FAILED', 'This file is not a Parity decision record: it carries no embedded record data.', { field: 'content' });
  let raw: unknown;
  try {
    raw = JSON.parse(match[1]!);
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', `The decision record's embedded data is damaged (not JSON): ${error instanceof Error ? error.message : String(error)}`, { field: 'content' });
  }
  const parsed = DecisionRecordDataSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('VALIDATION_FAILED', `The decision record's embedded data does not validate at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`, { field: 'content' });
  }
  return parsed.data;
}
