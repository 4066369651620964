import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

export interface IntegrityReport {
  /** `unchecked`: the check could not run (stopped, or the file could not be opened a second time). */
  status: 'ok' | 'damaged' | 'unchecked';
  /** SQLite's own descriptions of what is wrong, at most MAX_PROBLEMS of them. */
  problems: string[];
}

export interface IntegritySource {
  path: string;
  /** Read the file into memory instead of opening it (a read-only database with no -wal/-shm). */
  snapshot: boolean;
}

const MAX_PROBLEMS = 10;

/**
 * Runs in a worker thread with its own read-only connection, so a check of a large file never
 * holds up the main thread (which serves the window and the CLI). Plain CommonJS evaluated from a
 * string, so there is no second bundle entry to keep in step with the build.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  if (workerData.snapshot) {
    const bytes = require('node:fs').readFileSync(workerData.path);
    if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) { bytes[18] = 1; bytes[19] = 1; }
    db = new Database(bytes, { readonly: true });
  } else {
    db = new Database(workerData.path, { readonly: true, fileMustExist: true, timeout: 5000 });
  }
  const rows = db.pragma('quick_check(${MAX_PROBLEMS})');
  parentPort.postMessage({ rows: rows.map((r) => String(Object.values(r)[0])) });
} catch (error) {
  parentPort.postMessage({ error: { code: String(error && error.code || ''), message: String(error && error.message || error) } });
} finally {
  if (db) db.close();
}
`;

type WorkerAnswer = { rows: string[] } | { error: { code: string; message: string } };

function fromRows(rows: string[]): IntegrityReport {
  return rows.length === 1 && rows[0] === 'ok' ? { status: 'ok', problems: [] } : { status: 'damaged', problems: rows.slice(0, MAX_PROBLEMS) };
}

function isCorruption(code: string): boolean {
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/** `PRAGMA quick_check` over the whole file in a worker thread. Rejects if no worker can be started. */
export function quickCheckInWorker(source: IntegritySource, { signal }: { signal?: AbortSignal } = {}): Promise<IntegrityReport> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: source.path, snapshot: source.snapshot } });
    } catch (error) {
      reject(error);
      return;
    }
    // A check in progress must not keep a finished CLI command alive.
    worker.unref();
    let settled = false;
    const settle = (report: IntegrityReport | Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (report instanceof Error) reject(report);
      else resolve(report);
    };
    const onAbort = (): void => settle({ status: 'unchecked', problems: [] });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (answer: WorkerAnswer) => {
      if ('rows' in answer) return settle(fromRows(answer.rows));
      settle(isCorruption(answer.error.code) ? { status: 'damaged', problems: [answer.error.message] } : { status: 'unchecked', problems: [answer.error.message] });
    });
    worker.once('error', (error) => settle(error));
    worker.once('exit', () => settle({ status: 'unchecked', problems: [] }));
  });
}

/**
 * The fallback where worker threads are unavailable: one table (with its indexes) per turn of the
 * event loop, so other work runs in between. It misses what only a whole-file check sees (pages
 * used twice across tables, the freelist), which the worker's check covers.
 */
export async function quickCheckInChunks(db: BetterSqlite3.Database, { signal }: { signal?: AbortSignal } = {}): Promise<IntegrityReport> {
  const problems: string[] = [];
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    for (const table of tables) {
      await nextTurn();
      if (signal?.aborted || !db.open) return { status: 'unchecked', problems: [] };
      const rows = db.pragma(`quick_check("${table.replaceAll('"', '""')}")`) as Array<Record<string, unknown>>;
      for (const row of rows) {
        const text = String(Object.values(row)[0]);
        if (text !== 'ok') problems.push(text);
      }
      if (problems.length >= MAX_PROBLEMS) break;
    }
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (isCorruption(code)) problems.push((error as Error).message);
    else return { status: 'unchecked', problems: [(error as Error).message] };
  }
  return problems.length === 0 ? { status: 'ok', problems: [] } : { status: 'damaged', problems: problems.slice(0, MAX_PROBLEMS) };
}
