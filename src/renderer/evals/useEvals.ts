import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RouteInput } from '../../shared/contract';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';

/** react-query wrappers over the `evals.*` routes; keys start with 'evals' so one invalidation refreshes the page. */

export function useSuites() {
  const client = useClient();
  return useQuery({ queryKey: ['evals', 'suites'], queryFn: () => call(client, 'evals.suites.list', {}) });
}

export function useSuite(id: string | null, version?: number) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'suite', id, version ?? 'latest'],
    queryFn: () => call(client, 'evals.suites.get', version === undefined ? { id: id! } : { id: id!, version }),
    enabled: id !== null,
  });
}

export function useSuiteVersions(id: string | null) {
  const client = useClient();
  return useQuery({ queryKey: ['evals', 'versions', id], queryFn: () => call(client, 'evals.suites.versions', { id: id! }), enabled: id !== null });
}

export function useSuiteDiff(id: string | null, from: number | null, to: number | null) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'diff', id, from, to],
    queryFn: () => call(client, 'evals.suites.diff', { id: id!, from: from!, to: to! }),
    enabled: id !== null && from !== null && to !== null && from !== to,
  });
}

export function useRuns(suiteId?: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'runs', suiteId ?? 'all'],
    queryFn: () => call(client, 'evals.runs.list', suiteId ? { suiteId } : {}),
  });
}

export function useRun(runId: string | null) {
  const client = useClient();
  return useQuery({ queryKey: ['evals', 'run', runId], queryFn: () => call(client, 'evals.runs.get', { runId: runId! }), enabled: runId !== null });
}

export function useRunResults(runId: string | null, enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'results', runId],
    queryFn: () => call(client, 'evals.runs.results', { runId: runId! }),
    enabled: runId !== null && enabled,
  });
}

export function useRunComparison(runId: string | null, baselineRunId: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: ['evals', 'compare', runId, baselineRunId],
    queryFn: () => call(client, 'evals.runs.compare', { runId: runId!, baselineRunId: baselineRunId! }),
    enabled: runId !== null && baselineRunId !== null,
  });
}

/** A mutation over one route that refreshes every evals query when it succeeds. */
export function useEvalsMutation<K extends 'evals.suites.create' | 'evals.suites.save' | 'evals.suites.rollback' | 'evals.suites.delete' | 'evals.suites.import' | 'evals.runs.start' | 'evals.runs.cancel' | 'evals.runs.resume' | 'evals.runs.delete'>(route: K) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RouteInput<K>) => call(client, route, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['evals'] }),
  });
}
