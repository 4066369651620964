import type { EvalCell } from '../../shared/contract';

/** One cell per case, model and repeat (the grid looks cells up by it too). */
export const cellKey = (caseId: string, modelId: string, repeat: number): string => `${caseId}\u0000${modelId}\u0000${repeat}`;

/**
 * A run's finished cells as the live run panel caches them: the pages fetched once, then every
 * `evals.cellDone` applied in place. Treat as immutable: each update returns a new object.
 */
export interface RunCells {
  runId: string;
  cells: EvalCell[];
  /** Where each cell sits in `cells`, by case, model and repeat. */
  index: ReadonlyMap<string, number>;
}

export function runCellsFrom(runId: string, cells: readonly EvalCell[]): RunCells {
  return applyCellsDone({ runId, cells: [], index: new Map() }, cells);
}

/**
 * Applies finished cells to the cache: a new cell is appended, a cell already there (a page and
 * an event can both carry it; a resumed run redoes one) is replaced where it is, so the count never
 * double-counts. Cells of another run are ignored. Returns the same object when nothing changed,
 * so react-query and memo see no update.
 */
export function applyCellsDone(cache: RunCells, cells: readonly EvalCell[]): RunCells {
  let next: EvalCell[] | null = null;
  let index: Map<string, number> | null = null;
  for (const cell of cells) {
    if (cell.runId !== cache.runId) continue;
    next ??= cache.cells.slice();
    index ??= new Map(cache.index);
    const key = cellKey(cell.caseId, cell.modelId, cell.repeat);
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, next.length);
      next.push(cell);
    } else {
      next[at] = cell;
    }
  }
  return next && index ? { runId: cache.runId, cells: next, index } : cache;
}
