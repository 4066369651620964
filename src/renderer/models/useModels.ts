import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Download, EventPayload, RouteInput } from '../../shared/contract';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';

export const MODELS_KEY = ['models.list'] as const;
export const DOWNLOADS_KEY = ['models.download.list'] as const;
export const CATALOGUE_KEY = ['models.catalogue'] as const;

/** The library, refreshed whenever main says it changed. */
export function useModelList() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('models.changed', () => {
    void queryClient.invalidateQueries({ queryKey: MODELS_KEY });
    void queryClient.invalidateQueries({ queryKey: CATALOGUE_KEY });
  });
  return useQuery({ queryKey: MODELS_KEY, queryFn: () => call(client, 'models.list', {}) });
}

/** Live hash progress by model id (UI-only state; the final digest arrives with the list refresh). */
export function useHashProgress(): Map<string, EventPayload<'models.hashProgress'>> {
  const [progress, setProgress] = useState(() => new Map<string, EventPayload<'models.hashProgress'>>());
  useParityEvent('models.hashProgress', (payload) => {
    setProgress((current) => new Map(current).set(payload.modelId, payload));
  });
  return progress;
}

export function useCatalogue() {
  const client = useClient();
  return useQuery({ queryKey: CATALOGUE_KEY, queryFn: () => call(client, 'models.catalogue', {}) });
}

export function useHardware() {
  const client = useClient();
  return useQuery({ queryKey: ['models.hardware'], queryFn: () => call(client, 'models.hardware', {}), staleTime: 30_000 });
}

/** Downloads: the list from main, kept current by progress events (batched in main to ~4/s). */
export function useDownloads() {
  const client = useClient();
  const queryClient = useQueryClient();
  useParityEvent('models.downloadProgress', (download) => {
    queryClient.setQueryData<Download[]>(DOWNLOADS_KEY, (list = []) => {
      const index = list.findIndex((d) => d.id === download.id);
      if (index === -1) return [...list, download];
      const next = list.slice();
      next[index] = download;
      return next;
    });
  });
  return useQuery({ queryKey: DOWNLOADS_KEY, queryFn: () => call(client, 'models.download.list', {}) });
}

type DownloadAction = 'models.download.pause' | 'models.download.resume' | 'models.download.cancel';

export function useModelActions() {
  const client = useClient();
  const queryClient = useQueryClient();
  const refreshModels = () => queryClient.invalidateQueries({ queryKey: MODELS_KEY });
  const refreshDownloads = () => queryClient.invalidateQueries({ queryKey: DOWNLOADS_KEY });
  return {
    importModel: useMutation({
      mutationFn: (input: RouteInput<'models.import'>) => call(client, 'models.import', input),
      onSuccess: refreshModels,
    }),
    scan: useMutation({
      mutationFn: (input: RouteInput<'models.scan'>) => call(client, 'models.scan', input),
      onSuccess: refreshModels,
    }),
    remove: useMutation({
      mutationFn: (id: string) => call(client, 'models.remove', { id }),
      onSettled: refreshModels,
    }),
    startDownload: useMutation({
      mutationFn: (input: RouteInput<'models.download.start'>) => call(client, 'models.download.start', input),
      onSuccess: refreshDownloads,
    }),
    downloadAction: useMutation({
      mutationFn: ({ route, id }: { route: DownloadAction; id: string }) => call(client, route, { id }),
      onSuccess: refreshDownloads,
    }),
  };
}
