import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Collection, DocumentInfo, IngestJob, RouteInput } from '../../shared/contract';
import { call } from '../api/client';
import { useClient, useParityEvent } from '../api/ClientContext';

export const docsKeys = {
  collections: ['docs.collections.list'] as const,
  files: (collection: string) => ['docs.files.list', collection.toLowerCase()] as const,
  jobs: ['docs.jobs.list'] as const,
};

export function useCollections() {
  const client = useClient();
  return useQuery({ queryKey: docsKeys.collections, queryFn: async () => (await call(client, 'docs.collections.list', {})).collections });
}

/**
 * The files of one collection. Progress events carry the changed file, which is applied to the
 * cached list in place rather than refetching the whole list for every batch of chunks.
 */
export function useCollectionFiles(collection: Collection | null) {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('docs.progress', ({ document }) => {
    if (!collection || document.collectionId !== collection.id) return;
    queryClient.setQueryData<DocumentInfo[]>(docsKeys.files(collection.name), (list) => {
      if (!list) return list;
      const index = list.findIndex((d) => d.id === document.id);
      if (index === -1) return [...list, document].sort((a, b) => a.name.localeCompare(b.name));
      const next = list.slice();
      next[index] = document;
      return next;
    });
  });
  return useQuery({
    queryKey: docsKeys.files(collection?.name ?? ''),
    queryFn: async () => (await call(client, 'docs.files.list', { collection: collection!.name })).documents,
    enabled: collection !== null,
  });
}

/** Running and recent ingestion jobs, kept current by docs.job events. */
export function useIngestJobs() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('docs.job', (job) => {
    queryClient.setQueryData<IngestJob[]>(docsKeys.jobs, (list = []) => [...list.filter((j) => j.jobId !== job.jobId), job]);
    // Counts on the collection cards (files, chunks, failed) change when a job advances or ends.
    if (job.state !== 'running' || job.filesDone > 0) void queryClient.invalidateQueries({ queryKey: docsKeys.collections });
    // A list fetched while the job ran can land after the last progress event and show a file still
    // parsing; a fetch started once the job has ended (cancelling any older one) has the final word.
    if (job.state !== 'running') void queryClient.invalidateQueries({ queryKey: ['docs.files.list'] });
  });
  return useQuery({ queryKey: docsKeys.jobs, queryFn: async () => (await call(client, 'docs.jobs.list', {})).jobs });
}

export function useDocsActions() {
  const client = useClient();
  const queryClient = useQueryClient();
  const refreshCollections = () => queryClient.invalidateQueries({ queryKey: docsKeys.collections });
  return {
    create: useMutation({
      mutationFn: (input: RouteInput<'docs.collections.create'>) => call(client, 'docs.collections.create', input),
      onSuccess: refreshCollections,
    }),
    removeCollection: useMutation({
      mutationFn: (collection: string) => call(client, 'docs.collections.remove', { collection }),
      onSuccess: refreshCollections,
    }),
    add: useMutation({
      mutationFn: (input: { collection: string; paths: string[] }) => call(client, 'docs.add', input),
      onSuccess: (result, input) => {
        queryClient.setQueryData<IngestJob[]>(docsKeys.jobs, (list = []) => [...list.filter((j) => j.jobId !== result.job.jobId), result.job]);
        void queryClient.invalidateQueries({ queryKey: docsKeys.files(input.collection) });
        void refreshCollections();
      },
    }),
    cancel: useMutation({ mutationFn: (jobId: string) => call(client, 'docs.cancel', { jobId }) }),
    removeFiles: useMutation({
      mutationFn: (input: { collection: string; documentIds: number[] }) => call(client, 'docs.files.remove', input),
      onSuccess: (_r, input) => {
        void queryClient.invalidateQueries({ queryKey: docsKeys.files(input.collection) });
        void refreshCollections();
      },
    }),
    search: useMutation({ mutationFn: (input: RouteInput<'docs.search'>) => call(client, 'docs.search', input) }),
  };
}
