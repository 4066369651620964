import { z } from 'zod';
import {
  EvalCellSchema,
  RunCardSchema,
  RunStatusSchema,
  SuiteSpecSchema,
  type EvalCell,
  type RunCard,
  type RunStatus,
  type RunSummary,
  type SuiteSpec,
} from '../../../shared/domain/evals';
import { GenerationParamsSchema, type GenerationParams } from '../../../shared/domain/generation';
import { awaitsComparison, COMPARE_PENDING } from '../../../shared/domain/cellGrading';
import { NotFoundError } from '../../../shared/errors';
import type { Store } from './Store';

/** Everything the runner needs to (re)start a run: stored with the run, never re-read from the suite. */
export interface StoredRun extends RunSummary {
  spec: SuiteSpec;
  params: GenerationParams;
  concurrency: number | null;
  graderModel: string | null;
  embeddingModel: string | null;
  runCard: RunCard;
}

export interface NewRun {
  id: string;
  suiteId: string;
  suiteVersion: number;
  spec: SuiteSpec;
  models: string[];
  repeat: number;
  params: GenerationParams;
  concurrency: number | null;
  graderModel: string | null;
  embeddingModel: string | null;
  runCard: RunCard;
  totalCells: number;
}

const RunRowSchema = z.object({
  id: z.string(),
  suite_id: z.string(),
  suite_version: z.number().int(),
  suite_name: z.string(),
  spec: z.string(),
  models: z.string(),
  repeat: z.number().int(),
  params: z.string(),
  concurrency: z.number().int().nullable(),
  grader_model: z.string().nullable(),
  embedding_model: z.string().nullable(),
  run_card: z.string(),
  status: RunStatusSchema,
  total_cells: z.number().int(),
  error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  done_cells: z.number().int(),
  passed_cells: z.number().int(),
});

/** A JSON column, parsed and validated in the same pass as the row. */
const json = <T extends z.ZodType>(schema: T) => z.string().transform((text) => JSON.parse(text) as unknown).pipe(schema);

/**
 * An `eval_cells` row straight to an EvalCell in one zod pass: the repository is the one place
 * stored cells are parsed, so callers (results, pages, scorecards) never parse them again.
 */
const CellRowSchema = z
  .object({
    run_id: z.string(),
    case_id: z.string(),
    model_id: z.string(),
    repeat: z.number().int(),
    status: EvalCellSchema.shape.status,
    request: json(EvalCellSchema.shape.request),
    output: z.string(),
    pass: z.number().int(),
    score: z.number(),
    assertions: json(EvalCellSchema.shape.assertions),
    metrics: json(EvalCellSchema.shape.metrics),
    error: json(EvalCellSchema.shape.error.unwrap()).nullable(),
    finished_at: z.string(),
  })
  .transform(
    (row): EvalCell => ({
      runId: row.run_id,
      caseId: row.case_id,
      modelId: row.model_id,
      repeat: row.repeat,
      status: row.status,
      request: row.request,
      output: row.output,
      // Older rows stored a cell still waiting for its comparison as passed; it never is.
      pass: row.pass === 1 && !awaitsComparison({ status: row.status, assertions: row.assertions }),
      score: row.score,
      assertions: row.assertions,
      metrics: row.metrics,
      error: row.error,
      finishedAt: row.finished_at,
    }),
  );

const CELL_ORDER = 'ORDER BY case_id, model_id, repeat';

const RUN_SELECT = `SELECT r.*,
  (SELECT COUNT(*) FROM eval_cells c WHERE c.run_id = r.id) AS done_cells,
  (SELECT COUNT(*) FROM eval_cells c WHERE c.run_id = r.id AND c.pass = 1 AND instr(c.assertions, '${COMPARE_PENDING}') = 0) AS passed_cells
  FROM eval_runs r`;

function toRun(raw: unknown): StoredRun {
  const row = RunRowSchema.parse(raw);
  return {
    id: row.id,
    suiteId: row.suite_id,
    suiteVersion: row.suite_version,
    suiteName: row.suite_name,
    status: row.status,
    models: z.array(z.string()).parse(JSON.parse(row.models)),
    repeat: row.repeat,
    totalCells: row.total_cells,
    doneCells: row.done_cells,
    passedCells: row.passed_cells,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    error: row.error,
    spec: SuiteSpecSchema.parse(JSON.parse(row.spec)),
    params: GenerationParamsSchema.parse(JSON.parse(row.params)),
    concurrency: row.concurrency,
    graderModel: row.grader_model,
    embeddingModel: row.embedding_model,
    runCard: RunCardSchema.parse(JSON.parse(row.run_card)),
  };
}

/** A run that is waiting or running has not finished; any other status is an end (until a resume). */
function finishedAt(status: RunStatus): string | null {
  return status === 'running' || status === 'pending' ? null : new Date().toISOString();
}

export function toSummary(run: StoredRun): RunSummary {
  const { spec: _s, params: _p, concurrency: _c, graderModel: _g, embeddingModel: _e, runCard: _r, ...summary } = run;
  return summary;
}

/** Runs and their cells. A cell row is written the moment it finishes (resume relies on it). */
export class RunRepository {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  create(run: NewRun): StoredRun {
    this.#insert(run);
    return this.get(run.id);
  }

  /** Runs that only make sense together (a policy-cost pair): all stored or none. */
  createAll(runs: readonly NewRun[]): StoredRun[] {
    this.#store.transaction(() => {
      for (const run of runs) this.#insert(run);
    });
    return runs.map((run) => this.get(run.id));
  }

  #insert(run: NewRun): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT INTO eval_runs (id, suite_id, suite_version, suite_name, spec, models, repeat, params, concurrency, grader_model, embedding_model, run_card, status, total_cells, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
        )
        .run(
          run.id,
          run.suiteId,
          run.suiteVersion,
          run.spec.name,
          JSON.stringify(run.spec),
          JSON.stringify(run.models),
          run.repeat,
          JSON.stringify(run.params),
          run.concurrency,
          run.graderModel,
          run.embeddingModel,
          JSON.stringify(run.runCard),
          run.totalCells,
          run.runCard.createdAt,
        ),
    );
  }

  get(id: string): StoredRun {
    const raw = this.#store.run(() => this.#store.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id));
    if (!raw) throw new NotFoundError('Run', id);
    return toRun(raw);
  }

  list(filter: { suiteId?: string; status?: RunStatus } = {}): StoredRun[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.suiteId) {
      where.push('r.suite_id = ?');
      args.push(filter.suiteId);
    }
    if (filter.status) {
      where.push('r.status = ?');
      args.push(filter.status);
    }
    const sql = `${RUN_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC`;
    return this.#store.run(() => this.#store.db.prepare(sql).all(...args)).map(toRun);
  }

  setStatus(id: string, status: RunStatus, error: string | null = null): void {
    this.#store.run(() =>
      this.#store.db.prepare('UPDATE eval_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, finishedAt(status), id),
    );
  }

  /**
   * Sets `status` only while the run is in one of `from`, in one statement, and says whether it did:
   * a compare-and-set, so a start of a waiting run never overwrites a cancel stored a moment
   * earlier (by this process or another connection on the file).
   */
  setStatusFrom(id: string, from: readonly RunStatus[], status: RunStatus): boolean {
    const marks = from.map(() => '?').join(', ');
    const sql = `UPDATE eval_runs SET status = ?, error = NULL, finished_at = ? WHERE id = ? AND status IN (${marks})`;
    return this.#store.run(() => this.#store.db.prepare(sql).run(status, finishedAt(status), id, ...from)).changes > 0;
  }

  updateRunCard(id: string, card: RunCard): void {
    this.#store.run(() => this.#store.db.prepare('UPDATE eval_runs SET run_card = ? WHERE id = ?').run(JSON.stringify(card), id));
  }

  /**
   * After a crash: nothing is running any more; those runs can be resumed. A policy-cost pair's run
   * without the policy that never started stays pending: it still waits for the run under the
   * policy (and can still be cancelled as a waiting run), as before the restart.
   */
  markInterrupted(): number {
    const waitsForPartner = "json_extract(run_card, '$.policyCostPair.withoutPolicyRunId') IS id";
    return this.#store.repair(
      () => this.#store.db.prepare(`UPDATE eval_runs SET status = 'interrupted' WHERE status = 'running' OR (status = 'pending' AND NOT ${waitsForPartner})`).run().changes,
    );
  }

  delete(id: string): boolean {
    return this.#store.run(() => this.#store.db.prepare('DELETE FROM eval_runs WHERE id = ?').run(id)).changes > 0;
  }

  insertCell(cell: EvalCell): void {
    this.#store.run(() =>
      this.#store.db
        .prepare(
          `INSERT OR REPLACE INTO eval_cells (run_id, case_id, model_id, repeat, status, request, output, pass, score, assertions, metrics, error, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          cell.runId,
          cell.caseId,
          cell.modelId,
          cell.repeat,
          cell.status,
          JSON.stringify(cell.request),
          cell.output,
          cell.pass ? 1 : 0,
          cell.score,
          JSON.stringify(cell.assertions),
          JSON.stringify(cell.metrics),
          cell.error ? JSON.stringify(cell.error) : null,
          cell.finishedAt,
        ),
    );
  }

  /** Rewrites finished cells together (a case's comparison results span its cells): all or none. */
  replaceCells(cells: readonly EvalCell[]): void {
    this.#store.transaction(() => {
      for (const cell of cells) this.insertCell(cell);
    });
  }

  /** Every stored cell of a run, in case, model, repeat order. */
  cells(runId: string): EvalCell[] {
    const rows = this.#store.run(() => this.#store.db.prepare(`SELECT * FROM eval_cells WHERE run_id = ? ${CELL_ORDER}`).all(runId));
    return rows.map((raw) => CellRowSchema.parse(raw));
  }

  /** One page of a run's cells in the same order as `cells`, so the pages put together are `cells`. */
  cellsPage(runId: string, offset: number, limit: number): EvalCell[] {
    const rows = this.#store.run(() =>
      this.#store.db.prepare(`SELECT * FROM eval_cells WHERE run_id = ? ${CELL_ORDER} LIMIT ? OFFSET ?`).all(runId, limit, offset),
    );
    return rows.map((raw) => CellRowSchema.parse(raw));
  }

  cellCount(runId: string): number {
    const row = this.#store.run(() => this.#store.db.prepare('SELECT COUNT(*) AS n FROM eval_cells WHERE run_id = ?').get(runId));
    return z.object({ n: z.number().int() }).parse(row).n;
  }

  /** Keys `caseId\u0000modelId\u0000repeat` of finished cells, for resume. */
  finishedKeys(runId: string): Set<string> {
    const rows = this.#store.run(() => this.#store.db.prepare('SELECT case_id, model_id, repeat FROM eval_cells WHERE run_id = ?').all(runId));
    return new Set(
      rows.map((raw) => {
        const r = z.object({ case_id: z.string(), model_id: z.string(), repeat: z.number() }).parse(raw);
        return cellKey(r.case_id, r.model_id, r.repeat);
      }),
    );
  }
}

export function cellKey(caseId: string, modelId: string, repeat: number): string {
  return `${caseId}\u0000${modelId}\u0000${repeat}`;
}
