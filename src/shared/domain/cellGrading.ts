import type { AssertionResult, EvalCell } from './evals';

/**
 * promptfoo's comparison assertions (select-best, max-score) judge every output of a test case
 * together, so a cell stores them as pending until the run's post-pass has all of them. A cell
 * still pending (its run was stopped or crashed first) is not graded: it is neither a pass nor a
 * fail, and counts in no pass rate. Shared so every view (app, CLI, exports) says it the same way.
 */
export const COMPARE_ASSERTION_TYPES: readonly string[] = ['select-best', 'max-score'];

/** The `skipped` text of a comparison whose case is not complete yet (the post-pass looks for it). */
export const COMPARE_PENDING = 'waiting for the other outputs of this case to compare with';

export function isPendingComparison(result: Pick<AssertionResult, 'type' | 'skipped'>): boolean {
  return COMPARE_ASSERTION_TYPES.includes(result.type) && result.skipped === COMPARE_PENDING;
}

/** A finished cell whose comparison never ran: its verdict is unknown, not a pass. */
export function awaitsComparison(cell: Pick<EvalCell, 'status' | 'assertions'>): boolean {
  return cell.status === 'done' && cell.assertions.some(isPendingComparison);
}

export type CellVerdict = 'pass' | 'fail' | 'error' | 'ungraded';

export function cellVerdict(cell: Pick<EvalCell, 'status' | 'assertions' | 'pass'>): CellVerdict {
  if (cell.status === 'error') return 'error';
  if (awaitsComparison(cell)) return 'ungraded';
  return cell.pass ? 'pass' : 'fail';
}
