import type { PairedTest, Scorecard } from '../../shared/contract';
import type { CaseRate } from '../../shared/domain/evals';
import { formatMs, formatPercent, formatTokens, formatTokensPerSecond, formatUsd } from '../../shared/format';

/** "2 cases × 3 repeats": what the interval's n is, next to the cells behind it. */
function sampleText(s: Scorecard): string {
  const repeats = s.cases > 0 ? s.cells / s.cases : 0;
  const each = Number.isInteger(repeats) && repeats > 1 ? ` × ${repeats} repeats` : '';
  return `${s.cases} case${s.cases === 1 ? '' : 's'}${each}`;
}

/** A local model's cost per task and per success at the Decide view's volume: an estimate from Settings → Cost. */
export interface LocalCostEstimate {
  perTaskUsd: number | null;
  perSuccessUsd: number | null;
  /** "at 2,000 tasks/day". */
  basis: string;
}

function Estimated({ value, basis }: { value: number | null; basis: string }) {
  return (
    <span title={`Estimate from Settings → Cost ${basis}`}>
      {formatUsd(value)}/task <span className="field-hint">est.</span>
    </span>
  );
}

function RateCell({ rate, what }: { rate: CaseRate | null | undefined; what: string }) {
  if (!rate) {
    return (
      <td className="num" title={`Not measured: no request in this run asked for ${what}`}>
        {formatPercent(null)}
      </td>
    );
  }
  return (
    <td className="num">
      <strong>{formatPercent(rate.rate)}</strong>{' '}
      <span className="field-hint">
        ({formatPercent(rate.ci95[0], 0)}–{formatPercent(rate.ci95[1], 0)})
      </span>
      <div className="field-hint">n = {rate.cases} cases</div>
    </td>
  );
}

/** How reliably each model produced JSON and tool calls; shown only when some request asked for them. */
export function StructuredScorecards({ scorecards }: { scorecards: Scorecard[] }) {
  const measured = scorecards.some((s) => s.structured && Object.values(s.structured).some((r) => r !== null));
  if (!measured) return null;
  return (
    <div className="evals-table-scroll">
      <table className="data-table" aria-label="Structured output and tool calls">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              JSON valid (95% CI)
            </th>
            <th scope="col" className="num">
              Schema valid
            </th>
            <th scope="col" className="num">
              Tool-call validity
            </th>
            <th scope="col" className="num">
              Tool-choice accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          {scorecards.map((s) => (
            <tr key={s.modelId}>
              <th scope="row" className="mono">
                {s.modelId}
              </th>
              <RateCell rate={s.structured?.jsonValid} what="JSON" />
              <RateCell rate={s.structured?.schemaValid} what="a JSON Schema" />
              <RateCell rate={s.structured?.toolCallValid} what="tool calls" />
              <RateCell rate={s.structured?.toolChoiceAccuracy} what="a tool choice or expected tools" />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One row per model: quality with its 95% interval (over cases) next to speed and cost. */
export function Scorecards({ scorecards, localEstimates }: { scorecards: Scorecard[]; localEstimates?: ReadonlyMap<string, LocalCostEstimate> }) {
  return (
    <>
    <div className="evals-table-scroll">
      <table className="data-table" aria-label="Scorecard">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Pass rate (95% CI over cases)
            </th>
            <th scope="col" className="num">
              TTFT p50 / p95
            </th>
            <th scope="col" className="num">
              Decode
            </th>
            <th scope="col" className="num">
              Latency p50 / p95
            </th>
            <th scope="col" className="num">
              Tokens in / out
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col" className="num">
              Cost / success
            </th>
            <th scope="col" className="num">
              JSON valid
            </th>
            <th scope="col" className="num">
              Refusals
            </th>
          </tr>
        </thead>
        <tbody>
          {scorecards.map((s) => (
            <tr key={s.modelId}>
              <th scope="row" className="mono">
                {s.modelId}
              </th>
              <td className="num">
                <strong>{formatPercent(s.passRate)}</strong>{' '}
                {/* No finished cell: nothing measured, so no interval either (not a 0% with one). */}
                <span className="field-hint">
                  {s.passRate === null ? 'nothing measured' : `(${formatPercent(s.passRateCI95[0], 0)}–${formatPercent(s.passRateCI95[1], 0)})`}
                </span>
                <div className="field-hint">
                  n = {sampleText(s)} · {s.passes}/{s.cells} cells passed
                  {s.errors > 0 ? `, ${s.errors} errors` : ''}
                  {s.ungraded ? `, ${s.ungraded} not graded (comparison never ran)` : ''}
                </div>
              </td>
              <td className="num">
                {formatMs(s.ttftMsP50)} / {formatMs(s.ttftMsP95)}
              </td>
              <td className="num">{formatTokensPerSecond(s.decodeTokensPerSecond)}</td>
              <td className="num">
                {formatMs(s.latencyMsP50)} / {formatMs(s.latencyMsP95)}
              </td>
              <td className="num">
                {formatTokens(s.inputTokens)} / {formatTokens(s.outputTokens)}
              </td>
              {localEstimates?.has(s.modelId) ? (
                <>
                  <td className="num" data-testid="local-cost-estimate">
                    <Estimated value={localEstimates.get(s.modelId)!.perTaskUsd} basis={localEstimates.get(s.modelId)!.basis} />
                  </td>
                  <td className="num">
                    <Estimated value={localEstimates.get(s.modelId)!.perSuccessUsd} basis={localEstimates.get(s.modelId)!.basis} />
                  </td>
                </>
              ) : (
                <>
                  <td className="num">{formatUsd(s.costUsd)}</td>
                  <td className="num">{formatUsd(s.costPerSuccessUsd)}</td>
                </>
              )}
              <td className="num" title={s.jsonValidityRate === null ? 'Not measured: no case asserts on JSON' : undefined}>
                {formatPercent(s.jsonValidityRate)}
              </td>
              <td className="num" title={s.refusalRate === null ? 'Not measured: no case asserts on refusals' : undefined}>
                {formatPercent(s.refusalRate)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <StructuredScorecards scorecards={scorecards} />
    </>
  );
}

export function PairedTests({ tests }: { tests: PairedTest[] }) {
  if (tests.length === 0) return <p className="field-hint">A paired test needs two or more models over the same cases.</p>;
  // Cases, not cells: a case's repeats are averaged first, so copies of one answer cannot make a difference look significant.
  return (
    <table className="data-table" aria-label="Paired tests">
      <thead>
        <tr>
          <th scope="col">Models</th>
          <th scope="col" className="num">
            Cases
          </th>
          <th scope="col" className="num">
            A better
          </th>
          <th scope="col" className="num">
            B better
          </th>
          <th scope="col" className="num">
            p (exact sign test over cases)
          </th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {tests.map((t) => (
          <tr key={`${t.modelA}|${t.modelB}`}>
            <td className="mono">
              A {t.modelA}
              <br />B {t.modelB}
            </td>
            <td className="num">{t.pairs}</td>
            <td className="num">{t.onlyA}</td>
            <td className="num">{t.onlyB}</td>
            <td className="num">{t.pValue < 0.001 ? '< 0.001' : t.pValue.toFixed(3)}</td>
            <td>{t.significant ? <span className="badge badge--accent">significant (p &lt; 0.05)</span> : <span className="badge">no significant difference</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
