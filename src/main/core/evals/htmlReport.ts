import { formatSeeds, STATS_UNIT_NOTE, type CaseRate, type RunCard, type RunResults, type Scorecard } from '../../../shared/domain/evals';
import { isLocal } from '../../../shared/domain/modelRef';
import { cellVerdict, type CellVerdict } from '../../../shared/domain/cellGrading';

/**
 * A self-contained HTML report: inline CSS, inline SVG charts, no scripts, fonts or images from
 * anywhere, so it opens offline and can be mailed as one file.
 */
function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

function fmt(n: number | null, digits = 1): string {
  return n === null ? '–' : n.toFixed(digits);
}

/** Null is "not measured": a dash, never 0%. */
function pct(n: number | null): string {
  return n === null ? '–' : `${(n * 100).toFixed(1)}%`;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** Scatter of pass rate (y) against one x metric, with the Wilson interval as a vertical bar. */
function scatter(title: string, xLabel: string, cards: Scorecard[], x: (s: Scorecard) => number | null): string {
  const w = 420;
  const h = 260;
  const pad = { l: 48, r: 16, t: 28, b: 40 };
  // A model with no finished cell has no pass rate to plot: it is left out, not drawn at 0%.
  const points = cards
    .map((s, i) => ({ s, i, x: x(s), y: s.passRate }))
    .filter((p): p is { s: Scorecard; i: number; x: number; y: number } => p.x !== null && p.y !== null);
  const maxX = Math.max(1e-9, ...points.map((p) => p.x)) * 1.1;
  const px = (v: number): number => pad.l + (v / maxX) * (w - pad.l - pad.r);
  const py = (v: number): number => h - pad.b - v * (h - pad.t - pad.b);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<line x1="${pad.l}" x2="${w - pad.r}" y1="${py(t)}" y2="${py(t)}" stroke="#e5e7eb"/><text x="${pad.l - 6}" y="${py(t) + 4}" text-anchor="end" font-size="10">${t * 100}%</text>`)
    .join('');
  const marks = points
    .map(({ s, i, x: xv, y }) => {
      const c = PALETTE[i % PALETTE.length];
      const [lo, hi] = s.passRateCI95;
      return `<g><title>${esc(s.modelId)}: ${pct(y)} at ${xv.toPrecision(3)}</title><line x1="${px(xv)}" x2="${px(xv)}" y1="${py(lo)}" y2="${py(hi)}" stroke="${c}" stroke-width="2" opacity="0.5"/><circle cx="${px(xv)}" cy="${py(y)}" r="5" fill="${c}"/></g>`;
    })
    .join('');
  const empty = points.length === 0 ? `<text x="${w / 2}" y="${h / 2}" text-anchor="middle" font-size="12" fill="#6b7280">no data</text>` : '';
  return `<figure><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}">
<text x="${w / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${esc(title)}</text>${grid}
<line x1="${pad.l}" x2="${w - pad.r}" y1="${h - pad.b}" y2="${h - pad.b}" stroke="#9ca3af"/>
<text x="${w - pad.r}" y="${h - pad.b + 14}" text-anchor="end" font-size="10">${maxX.toPrecision(3)}</text>
<text x="${w / 2}" y="${h - 8}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>${marks}${empty}</svg></figure>`;
}

/** A local model's cost here is only the per-message rate (default $0), not its hardware: say so where the number is. */
function localMark(s: Scorecard): string {
  return isLocal(s.modelId) ? '<sup title="Local: hardware not included">¹</sup>' : '';
}

const LOCAL_COST_NOTE =
  '¹ Local models: only the per-message rate of Settings → Cost (default $0) is counted here, not the hardware. What your machines cost at your volume is estimated from Settings → Cost in Evals → Decide and in the decision record (parity report <run> --volume 2000/day --html record.html).';

/** promptfoo's derivedMetrics: one row per model, one column per formula; a dash with the reason when it did not evaluate. */
function derivedSection(results: RunResults): string {
  const all = results.derivedMetrics ?? [];
  if (all.length === 0) return '';
  const names = [...new Set(all.map((d) => d.name))];
  const rows = results.models
    .map((m) => {
      const cells = names.map((n) => {
        const d = all.find((x) => x.modelId === m && x.name === n);
        return `<td>${!d ? '–' : d.value === null ? `– <small>${esc(d.error)}</small>` : esc(Number(d.value.toFixed(4)))}</td>`;
      });
      return `<tr><td>${esc(m)}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<h2>Derived metrics</h2><table><thead><tr><th>Model</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** Said once per kind: an assertion Parity could not evaluate counted neither for nor against the cells. */
function skippedSection(results: RunResults): string {
  const skipped = results.skippedAssertions ?? [];
  if (skipped.length === 0) return '';
  const items = skipped.map((k) => `<li><code>${esc(k.type)}</code> in ${k.cells} cell${k.cells === 1 ? '' : 's'}: ${esc(k.reason)}</li>`).join('');
  return `<h2>Skipped assertions</h2><p>Not evaluated in this run, so counted neither for nor against a cell:</p><ul class="skipped">${items}</ul>`;
}

/** A cell whose comparison never ran is shown "–", neither pass nor fail. */
const VERDICT_TEXT: Record<CellVerdict, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', ungraded: '– not graded' };
const VERDICT_CLASS: Record<CellVerdict, string> = { pass: 'pass', fail: 'fail', error: 'fail', ungraded: 'ungraded' };

export function toReportHtml(results: RunResults, card: RunCard): string {
  const cards = results.scorecards;
  const legend = cards.map((s, i) => `<span class="lg"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(s.modelId)}</span>`).join(' ');
  const scoreRows = cards
    .map(
      (s) => `<tr><td>${esc(s.modelId)}</td><td>${s.passRate === null ? '– <small>nothing measured</small>' : `${pct(s.passRate)} <small>[${pct(s.passRateCI95[0])}, ${pct(s.passRateCI95[1])}]</small>`}</td>
<td>${s.passes}/${s.cells} cells · ${s.cases} cases${s.ungraded ? ` · ${s.ungraded} not graded` : ''}</td><td>${fmt(s.ttftMsP50, 0)} / ${fmt(s.ttftMsP95, 0)}</td><td>${fmt(s.latencyMsP50, 0)} / ${fmt(s.latencyMsP95, 0)}</td>
<td>${fmt(s.decodeTokensPerSecond)}</td><td>${s.inputTokens} / ${s.outputTokens}</td><td>${s.costUsd === null ? '–' : `$${s.costUsd.toFixed(4)}`}${localMark(s)}</td>
<td>${s.costPerSuccessUsd === null ? '–' : `$${s.costPerSuccessUsd.toFixed(5)}`}${localMark(s)}</td><td>${pct(s.jsonValidityRate)}</td><td>${pct(s.refusalRate)}</td></tr>`,
    )
    .join('\n');
  const rate = (r: CaseRate | null | undefined): string => (r ? `${pct(r.rate)} <small>[${pct(r.ci95[0])}, ${pct(r.ci95[1])}] · ${r.cases} cases</small>` : '–');
  const structuredRows = cards.some((s) => s.structured && Object.values(s.structured).some((r) => r !== null))
    ? cards
        .map((s) => `<tr><td>${esc(s.modelId)}</td><td>${rate(s.structured?.jsonValid)}</td><td>${rate(s.structured?.schemaValid)}</td><td>${rate(s.structured?.toolCallValid)}</td><td>${rate(s.structured?.toolChoiceAccuracy)}</td></tr>`)
        .join('\n')
    : null;
  const byKey = new Map(results.cells.map((c) => [`${c.caseId}\u0000${c.modelId}\u0000${c.repeat}`, c]));
  const repeats = card.repeat;
  const gridRows = results.cases
    .map((rc) => {
      const cells = results.models
        .map((m) => {
          const parts = Array.from({ length: repeats }, (_, r) => byKey.get(`${rc.caseId}\u0000${m}\u0000${r}`));
          return `<td>${parts
            .map((c) =>
              c
                ? `<div class="cell ${VERDICT_CLASS[cellVerdict(c)]}"><b>${VERDICT_TEXT[cellVerdict(c)]}</b> <small>${c.score.toFixed(2)}</small><pre>${esc(c.output)}</pre><ul>${c.assertions
                    .map((a) => (a.skipped !== undefined ? `<li>${esc(a.type)}: skipped: ${esc(a.skipped)}</li>` : `<li class="${a.pass ? 'ok' : 'no'}">${esc(a.type)}: ${esc(a.reason)}</li>`))
                    .join('')}</ul></div>`
                : '<div class="cell">not run</div>',
            )
            .join('')}</td>`;
        })
        .join('');
      return `<tr><th scope="row">${esc(rc.caseId)}${rc.description ? `<br><small>${esc(rc.description)}</small>` : ''}</th>${cells}</tr>`;
    })
    .join('\n');
  const tests = results.pairedTests
    .map((t) => `<tr><td>${esc(t.modelA)}</td><td>${esc(t.modelB)}</td><td>${t.pairs}</td><td>${t.onlyA}</td><td>${t.onlyB}</td><td>${t.pValue.toPrecision(3)}</td><td>${t.significant ? 'yes' : 'no'}</td></tr>`)
    .join('');
  const models = card.models
    .map((m) => `<tr><td>${esc(m.id)}</td><td>${esc(m.sha256 ?? m.providerModelId ?? '')}</td><td>${esc(m.quantization ?? '')}</td><td>${esc(m.backend ?? '')}</td><td>${esc(m.threads ?? '')}</td><td>${esc(m.gpuLayers ?? '')}</td><td><code>${esc(JSON.stringify(m.params))}</code></td><td>${esc(formatSeeds(m.seeds))}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Parity eval report: ${esc(results.run.suiteName)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#111827}
table{border-collapse:collapse;margin:8px 0 24px}th,td{border:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#f9fafb}.cell{margin:2px 0;padding:4px;border-radius:4px}.pass{background:#ecfdf5}.fail{background:#fef2f2}.ungraded{background:#f3f4f6}
pre{white-space:pre-wrap;max-width:420px;max-height:160px;overflow:auto;margin:4px 0;font-size:12px}ul{margin:0;padding-left:16px;font-size:12px}
code{word-break:break-all}li.ok{color:#047857}li.no{color:#b91c1c}.charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}.lg{margin-right:12px}.lg i{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}
</style></head><body>
<h1>${esc(results.run.suiteName)} <small>v${results.run.suiteVersion}</small></h1>
<p>Run ${esc(results.run.id)} · ${esc(results.run.status)} · ${esc(results.run.createdAt)} · Parity ${esc(card.appVersion)} · ${esc(card.platform)}/${esc(card.arch)} · repeat ${card.repeat}</p>
<h2>Scorecard</h2>
<table><thead><tr><th>Model</th><th>Pass rate [95% CI over cases]</th><th>Passed</th><th>TTFT p50/p95 ms</th><th>Latency p50/p95 ms</th><th>Decode tok/s</th><th>Tokens in/out</th><th>Cost</th><th>Cost per success</th><th>JSON valid</th><th>Refusals</th></tr></thead>
<tbody>${scoreRows}</tbody></table>
${structuredRows ? `<h2>Structured output and tool calls</h2><table><thead><tr><th>Model</th><th>JSON valid [95% CI]</th><th>Schema valid</th><th>Tool-call validity</th><th>Tool-choice accuracy</th></tr></thead><tbody>${structuredRows}</tbody></table>` : ''}
${derivedSection(results)}${skippedSection(results)}
<p><small>${esc(STATS_UNIT_NOTE)}</small></p>${cards.some((c) => isLocal(c.modelId)) ? `<p><small>${esc(LOCAL_COST_NOTE)}</small></p>` : ''}
<div>${legend}</div>
<div class="charts">${scatter('Quality vs cost', 'total cost (USD)', cards, (s) => s.costUsd)}${scatter('Quality vs latency', 'latency p50 (ms)', cards, (s) => s.latencyMsP50)}</div>
${tests ? `<h2>Paired tests (exact sign test over cases)</h2><table><thead><tr><th>A</th><th>B</th><th>Cases</th><th>A better</th><th>B better</th><th>p</th><th>p &lt; 0.05</th></tr></thead><tbody>${tests}</tbody></table>` : ''}
<h2>Results</h2>
<table><thead><tr><th>Case</th>${results.models.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>${gridRows}</tbody></table>
<h2>Run card</h2>
<table><thead><tr><th>Model</th><th>sha256 / provider model</th><th>Quantisation</th><th>Backend</th><th>Threads</th><th>GPU layers</th><th>Parameters</th><th>Seed per repeat</th></tr></thead><tbody>${models}</tbody></table>
<p>Run parameters: <code>${esc(JSON.stringify(card.params))}</code></p>
<h3>Prompts</h3>${card.prompts.map((p) => `<pre>${esc(p.system ? `[system] ${p.system}\n` : '')}${esc(p.template)}</pre>`).join('')}
</body></html>
`;
}
