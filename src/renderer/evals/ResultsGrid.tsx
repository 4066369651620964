import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef } from 'react';
import type { EvalCell, RunResults } from '../../shared/contract';
import { cellVerdict, type CellVerdict } from '../../shared/domain/cellGrading';
import { formatMs } from '../../shared/format';
import { cellKey, type RunCells } from './runCellsCache';

interface Row {
  caseId: string;
  repeat: number;
  label: string;
  vars: string;
}

export interface ResultsGridProps {
  /** The cells with their index by case, model and repeat: the grid looks each visible cell up, it never rebuilds a map of all of them. */
  cells: Pick<RunCells, 'cells' | 'index'>;
  cases: RunResults['cases'];
  models: readonly string[];
  repeats: number;
  regressions: ReadonlySet<string>;
}

/**
 * Cases × models with outputs side by side. Rows are virtualized: only what is on screen is in the
 * DOM, so a 10,000-cell run scrolls as smoothly as a 10-cell one. Memo: a streaming run re-renders
 * the grid when cells arrive, not when scorecards or progress do.
 */
export const ResultsGrid = memo(function ResultsGrid({ cells, cases, models, repeats, regressions }: ResultsGridProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo<Row[]>(
    () =>
      cases.flatMap((c) =>
        Array.from({ length: repeats }, (_, r) => ({
          caseId: c.caseId,
          repeat: r,
          label: (c.description ?? c.caseId) + (c.promptLabel ? ` · ${c.promptLabel}` : '') + (repeats > 1 ? ` · #${r + 1}` : ''),
          vars: Object.entries(c.vars)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
        })),
      ),
    [cases, repeats],
  );
  const cellAt = (key: string): EvalCell | undefined => {
    const at = cells.index.get(key);
    return at === undefined ? undefined : cells.cells[at];
  };
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 132, overscan: 6 });
  const columns = `minmax(180px, 1fr) repeat(${models.length}, minmax(220px, 2fr))`;

  return (
    <div className="evals-grid-table" role="table" aria-label="Results grid" aria-rowcount={rows.length + 1}>
      <div className="evals-grid-row evals-grid-header" role="row" style={{ gridTemplateColumns: columns }}>
        <div role="columnheader">Case</div>
        {models.map((m) => (
          <div role="columnheader" key={m} className="mono">
            {m}
          </div>
        ))}
      </div>
      <div ref={scroller} className="evals-grid-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className="evals-grid-row"
                style={{ gridTemplateColumns: columns, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                <div role="rowheader" className="evals-grid-case">
                  <strong>{row.label}</strong>
                  {row.vars && <span className="field-hint mono">{row.vars}</span>}
                </div>
                {models.map((m) => {
                  const key = cellKey(row.caseId, m, row.repeat);
                  return <GridCell key={m} cell={cellAt(key)} regressed={regressions.has(key)} />;
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});

const VERDICT_TEXT: Record<CellVerdict, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', ungraded: '– not graded' };

/** Memo: a finished cell is a new object only when it changes, so a batch re-renders only the cells it brought. */
export const GridCell = memo(function GridCell({ cell, regressed }: { cell: EvalCell | undefined; regressed: boolean }) {
  if (!cell) {
    return (
      <div role="cell" className="evals-cell evals-cell--pending">
        <span className="badge">pending</span>
      </div>
    );
  }
  const failed = cell.assertions.filter((a) => !a.pass);
  // A cell whose select-best / max-score comparison never ran (the run stopped first) is neither pass nor fail.
  const verdict = cellVerdict(cell);
  return (
    <div role="cell" className={`evals-cell ${verdict === 'pass' ? 'evals-cell--pass' : verdict === 'ungraded' ? 'evals-cell--pending' : 'evals-cell--fail'}${regressed ? ' evals-cell--regressed' : ''}`}>
      <div className="evals-cell-head">
        <span className={verdict === 'pass' ? 'badge badge--success' : verdict === 'ungraded' ? 'badge' : 'badge badge--danger'} title={verdict === 'ungraded' ? 'Not graded: its comparison never ran' : undefined}>
          {VERDICT_TEXT[verdict]}
        </span>
        {regressed && <span className="badge badge--warning">regressed</span>}
        <span className="field-hint">
          score {cell.score.toFixed(2)} · {formatMs(cell.metrics.totalMs)}
        </span>
      </div>
      <div className="evals-cell-output">{cell.error ? `${cell.error.code}: ${cell.error.message}` : cell.output || (cell.metrics.toolCalls?.length ? null : <em>empty</em>)}</div>
      {!cell.error && cell.metrics.toolCalls && cell.metrics.toolCalls.length > 0 && (
        // A tool-calling answer often has no text: its calls are the answer.
        <ul className="evals-cell-reasons" aria-label="Tool calls">
          {cell.metrics.toolCalls.map((c, i) => (
            <li key={i} className="mono" title={c.problem ?? 'arguments follow the schema'}>
              {c.problem ? '✗' : '✓'} {c.name}({c.rawArguments})
              {c.result !== undefined ? ` → ${typeof c.result === 'string' ? c.result : JSON.stringify(c.result)}` : ''}
            </li>
          ))}
        </ul>
      )}
      {failed.length > 0 && (
        <ul className="evals-cell-reasons">
          {failed.map((a, i) => (
            <li key={i}>
              <span className="mono">{a.type}</span>: {a.skipped !== undefined ? `skipped: ${a.skipped}` : a.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
