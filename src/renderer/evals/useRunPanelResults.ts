import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { EvalCell, EventPayload, RunDetail, RunResults } from '../../shared/contract';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';
import { applyCellsDone, runCellsFrom, type RunCells } from './runCellsCache';
import { useRunResults } from './useEvals';

const PAGE = 500;
/** Finished cells are applied in batches: one render per batch, not one per cell. */
const APPLY_EVERY_MS = 100;
/** Scorecards are recomputed from every stored cell: ask for them at most this often while running. */
const SCORECARDS_EVERY_MS = 1000;

export const runCellsKey = (runId: string) => ['evals', 'cells', runId] as const;
export const runCasesKey = (runId: string) => ['evals', 'cases', runId] as const;
export const runScorecardsKey = (runId: string) => ['evals', 'scorecards', runId] as const;

export interface RunPanelResults {
  data: RunResults | undefined;
  /** `data.cells` with their index by case, model and repeat, so the grid never rebuilds one per batch. */
  cells: RunCells | undefined;
  error: Error | null;
}

/** Calls `fn` at most once per `ms`, trailing; the timer is cleared on unmount. */
function useTrailingTimer(ms: number): (fn: () => void) => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return (fn) => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      fn();
    }, ms);
  };
}

/**
 * The run panel's data. Cells are fetched page by page once, then every `evals.cellDone` is applied
 * to the cache (its payload is the cell): what reaches the page per finished cell stays the same
 * whether it is the 10th or the 2,000th. Scorecards come from their own small route.
 */
export function useLiveRunResults(runId: string, run: RunDetail | undefined): RunPanelResults {
  const client = useClient();
  const queryClient = useQueryClient();
  // Cells that arrive while the pages are being read: a page read before the cell was stored
  // misses it, so they are applied on top of whatever the pages return.
  const arrivedWhileFetching = useRef<EvalCell[] | null>(null);
  const batch = useRef<EvalCell[]>([]);
  const applySoon = useTrailingTimer(APPLY_EVERY_MS);
  const refreshScoresSoon = useTrailingTimer(SCORECARDS_EVERY_MS);

  const cells = useQuery({
    queryKey: runCellsKey(runId),
    // Thousands of cells: comparing the old and new cache deeply on each update would cost more than the update.
    structuralSharing: false,
    queryFn: async (): Promise<RunCells> => {
      arrivedWhileFetching.current = [];
      try {
        const all: EvalCell[] = [];
        for (;;) {
          const page = await call(client, 'evals.runs.cells', { runId, offset: all.length, limit: PAGE });
          all.push(...page.cells);
          if (page.cells.length < PAGE) break;
        }
        return applyCellsDone(runCellsFrom(runId, all), arrivedWhileFetching.current);
      } finally {
        arrivedWhileFetching.current = null;
      }
    },
  });
  const cases = useQuery({ queryKey: runCasesKey(runId), queryFn: () => call(client, 'evals.runs.cases', { runId }), staleTime: Infinity });
  const scores = useQuery({ queryKey: runScorecardsKey(runId), queryFn: () => call(client, 'evals.runs.scorecards', { runId }) });

  useParityEvent('evals.cellDone', (p) => {
    if (p.runId !== runId) return;
    arrivedWhileFetching.current?.push(p.cell);
    batch.current.push(p.cell);
    applySoon(() => {
      const done = batch.current;
      batch.current = [];
      queryClient.setQueryData<RunCells>(runCellsKey(runId), (old) => (old ? applyCellsDone(old, done) : old));
    });
    refreshScoresSoon(() => void queryClient.invalidateQueries({ queryKey: runScorecardsKey(runId) }));
  });
  useParityEvent('evals.progress', (p) => {
    if (p.runId === runId && p.status !== 'running' && p.status !== 'pending') onRunStopped(queryClient, p);
  });

  const data = useMemo<RunResults | undefined>(
    () =>
      run && cases.data && cells.data && scores.data
        ? { run, models: run.models, cases: cases.data, cells: cells.data.cells, scorecards: scores.data.scorecards, pairedTests: scores.data.pairedTests }
        : undefined,
    [run, cases.data, cells.data, scores.data],
  );
  return { data, cells: cells.data, error: cells.error ?? cases.error ?? scores.error };
}

/**
 * A run that stopped: the final scorecards and run, but not the cells again, which the events
 * already brought; unless some went missing (a dropped connection), then they are read again.
 */
function onRunStopped(queryClient: QueryClient, p: EventPayload<'evals.progress'>): void {
  const cellsKey = runCellsKey(p.runId);
  // A run's cases are fixed when it is created (it keeps its suite version): they are not read again either.
  void queryClient.invalidateQueries({ queryKey: ['evals'], predicate: (q) => q.queryKey[1] !== 'cells' && q.queryKey[1] !== 'cases' });
  // Batches still in flight land within APPLY_EVERY_MS; count after them.
  setTimeout(() => {
    const cached = queryClient.getQueryData<RunCells>(cellsKey);
    if (cached && cached.cells.length !== p.done) void queryClient.invalidateQueries({ queryKey: cellsKey });
  }, APPLY_EVERY_MS * 2);
}

/**
 * The old path, kept only so bench/eval-ui.bench-run.ts can measure it as the baseline in the same
 * run: refetch the whole of `evals.runs.results` (every cell, re-read, re-parsed, re-scored) at
 * most once a second while cells finish.
 */
export function useRefetchedRunResults(runId: string): RunPanelResults {
  const queryClient = useQueryClient();
  const results = useRunResults(runId);
  const refetchSoon = useTrailingTimer(1000);
  useParityEvent('evals.cellDone', (p) => {
    if (p.runId === runId) refetchSoon(() => void queryClient.invalidateQueries({ queryKey: ['evals', 'results', runId] }));
  });
  useParityEvent('evals.progress', (p) => {
    if (p.runId === runId && p.status !== 'running' && p.status !== 'pending') void queryClient.invalidateQueries({ queryKey: ['evals'] });
  });
  const cells = useMemo(() => (results.data ? runCellsFrom(runId, results.data.cells) : undefined), [runId, results.data]);
  return { data: results.data, cells, error: results.error };
}

/** Set by the eval-ui benchmark before the page loads; never by the app. */
export const LEGACY_REFETCH_SWITCH = 'parity.bench.evalsLegacyRefetch';

function legacyRefetchOn(): boolean {
  try {
    return globalThis.localStorage?.getItem(LEGACY_REFETCH_SWITCH) === '1';
  } catch {
    return false;
  }
}

/** Chosen once, when the Evals page's code loads, so the panel always calls the same hooks. */
export const useRunPanelResults: (runId: string, run: RunDetail | undefined) => RunPanelResults = legacyRefetchOn() ? useRefetchedRunResults : useLiveRunResults;
