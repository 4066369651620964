import type { AssertionResult, EvalCell } from '../../../shared/domain/evals';
import { cellKey, type RunRepository, type StoredRun } from '../store/RunRepository';
import type { GradeFunction } from './assertions/assertionHandlers';
import { COMPARE_TYPES, compareOutputs, isPendingComparison } from './assertions/compareAssertions';
import { combine } from './assertions/evaluateAssertions';
import { runsOn, type PlannedCase } from './SuitePlan';

export interface CaseComparisonOptions {
  run: StoredRun;
  cases: readonly PlannedCase[];
  runs: RunRepository;
  grade: GradeFunction;
  signal: AbortSignal;
  /** A stored cell whose comparison results were just filled in. */
  onUpdated: (before: EvalCell, after: EvalCell) => void;
}

/** The cells of one test case and repeat: every prompt × model that runs it. */
interface Group {
  /** Cell keys in the order the outputs are compared: prompt, then model (as the suite lists them). */
  keys: string[];
  rows: Map<string, PlannedCase>;
  cells: Map<string, EvalCell>;
  scheduled: boolean;
}

/**
 * The post-pass of promptfoo's comparison assertions (select-best, max-score). A cell stores them
 * as pending; once every cell of its test case and repeat is stored (in this session, or before a
 * crash), the group is compared and its cells rewritten in one transaction. Pending results are
 * the only thing it looks at, so running it again, as a resume does, changes nothing twice.
 */
export class CaseComparison {
  readonly #o: CaseComparisonOptions;
  readonly #groups = new Map<string, Group>();
  readonly #groupOf = new Map<string, Group>();
  readonly #work = new Set<Promise<void>>();
  #failure: unknown = null;

  constructor(options: CaseComparisonOptions) {
    this.#o = options;
    const { run } = options;
    for (const pc of options.cases) {
      if (!pc.assertions.some((a) => COMPARE_TYPES.has(a.type))) continue;
      for (let repeat = 0; repeat < run.repeat; repeat++) {
        const id = `${pc.testId}\u0000${repeat}`;
        let group = this.#groups.get(id);
        if (!group) {
          group = { keys: [], rows: new Map(), cells: new Map(), scheduled: false };
          this.#groups.set(id, group);
        }
        for (const modelId of run.models) {
          if (!runsOn(run.spec, pc, modelId)) continue;
          const key = cellKey(pc.caseId, modelId, repeat);
          group.keys.push(key);
          group.rows.set(key, pc);
          this.#groupOf.set(key, group);
        }
      }
    }
    if (this.#groups.size === 0) return;
    // Cells stored before a stop or crash: a group they complete is compared now.
    for (const cell of options.runs.cells(run.id)) this.cellDone(cell);
  }

  /** A cell was stored; the last one of its group starts the comparison. */
  cellDone(cell: EvalCell): void {
    const key = cellKey(cell.caseId, cell.modelId, cell.repeat);
    const group = this.#groupOf.get(key);
    if (!group || group.scheduled) return;
    group.cells.set(key, cell);
    if (group.cells.size < group.keys.length) return;
    group.scheduled = true;
    const p = this.#compare(group)
      .catch((error: unknown) => {
        this.#failure ??= error;
      })
      .finally(() => {
        // A compared group is done for this session: its outputs need not stay in memory.
        group.cells.clear();
        this.#work.delete(p);
      });
    this.#work.add(p);
  }

  /** Waits for the comparisons under way; rethrows the first that failed to store. */
  async settled(): Promise<void> {
    while (this.#work.size > 0) await Promise.all(this.#work);
    if (this.#failure !== null) throw this.#failure;
  }

  async #compare(group: Group): Promise<void> {
    const { run, signal } = this.#o;
    const cells = group.keys.map((k) => group.cells.get(k)!);
    if (!cells.some((c) => c.assertions.some(isPendingComparison))) return;
    // A cell that produced no output has nothing to compare; it keeps its error.
    const candidates = cells.filter((c) => c.status === 'done');
    const results = new Map(candidates.map((c) => [c, [...c.assertions]]));
    const first = group.rows.get(group.keys[0]!)!;
    for (const [i, spec] of first.assertions.entries()) {
      if (!COMPARE_TYPES.has(spec.type)) continue;
      if (!candidates.some((c) => c.assertions[i] && isPendingComparison(c.assertions[i]))) continue;
      const outcomes = await compareOutputs(
        spec,
        candidates.map((c) => ({ output: c.output, assertions: c.assertions })),
        { vars: first.vars, grader: spec.provider ?? first.grader ?? run.graderModel, grade: this.#o.grade, signal },
      );
      if (signal.aborted) return;
      candidates.forEach((c, n) => {
        const list = results.get(c)!;
        const before = list[i];
        if (!before || !isPendingComparison(before)) return;
        const o = outcomes[n]!;
        const next: AssertionResult = { type: before.type, metric: before.metric, pass: o.pass, score: o.score, weight: before.weight, reason: o.reason };
        if (o.skipped !== undefined) next.skipped = o.skipped;
        list[i] = next;
      });
    }
    const updated = candidates.map((c) => {
      const assertions = results.get(c)!;
      const pc = group.rows.get(cellKey(c.caseId, c.modelId, c.repeat))!;
      const verdict = combine(assertions, pc.threshold);
      // As in promptfoo, an output a comparison did not choose fails its case, whatever the threshold.
      const chosen = assertions.every((a) => !COMPARE_TYPES.has(a.type) || a.skipped !== undefined || a.pass);
      return { ...c, assertions, score: verdict.score, pass: c.error === null && verdict.pass && chosen };
    });
    this.#o.runs.replaceCells(updated);
    candidates.forEach((c, n) => this.#o.onUpdated(c, updated[n]!));
  }
}
