import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { CompareSession, CompareStartInput, EventPayload, VoteChoice } from '../../shared/contract';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';

/** What a column shows while its answer streams: main's live estimate, replaced by real metrics at the end. */
export interface LiveStats {
  elapsedMs: number;
  ttftMs: number | null;
  deltas: number;
}

export interface CompareState {
  session: CompareSession | null;
  live: Record<number, LiveStats>;
  busy: boolean;
  error: unknown;
}

type StreamEvent = { kind: 'delta'; payload: EventPayload<'compare.delta'> } | { kind: 'done'; payload: EventPayload<'compare.done'> };

function apply(state: CompareState, event: StreamEvent): CompareState {
  const session = state.session;
  if (!session || session.id !== event.payload.sessionId) return state;
  const p = event.payload;
  if (event.kind === 'delta') {
    const d = event.payload;
    return {
      ...state,
      session: { ...session, slots: session.slots.map((s) => (s.slot === p.slot && s.status === 'streaming' ? { ...s, text: s.text + d.text } : s)) },
      live: { ...state.live, [p.slot]: d.stats },
    };
  }
  const d = event.payload;
  const slots = session.slots.map((s) => (s.slot === p.slot ? { ...s, text: d.text, status: d.status, metrics: d.metrics } : s));
  return { ...state, session: { ...session, slots, status: slots.some((s) => s.status === 'streaming') ? 'running' : 'done' } };
}

/**
 * A view fetched while deltas are still arriving may hold less text than the screen already shows;
 * keep the longer text for slots that are still streaming.
 */
function mergeView(current: CompareSession | null, view: CompareSession): CompareSession {
  if (!current || current.id !== view.id) return view;
  return {
    ...view,
    slots: view.slots.map((s) => {
      const mine = current.slots.find((c) => c.slot === s.slot);
      return s.status === 'streaming' && mine && mine.text.length > s.text.length ? { ...s, text: mine.text } : s;
    }),
  };
}

/**
 * The one comparison on screen: starts it, applies the batched stream events as they come, and
 * swaps in main's view after each answer ends and after stop, vote and reveal (the view is the
 * only place names appear).
 */
export function useCompareSession() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<CompareState>({ session: null, live: {}, busy: false, error: null });
  // A tiny local model can finish before `compare.start` answers: keep early events to replay.
  const early = useRef<StreamEvent[]>([]);
  const sessionId = state.session?.id ?? null;

  const refresh = useCallback(
    async (id: string) => {
      try {
        const view = await call(client, 'compare.get', { sessionId: id });
        setState((prev) => (prev.session?.id === id ? { ...prev, session: mergeView(prev.session, view) } : prev));
        if (view.status === 'done') void queryClient.invalidateQueries({ queryKey: ['compare', 'list'] });
      } catch (error) {
        setState((prev) => ({ ...prev, error }));
      }
    },
    [client, queryClient],
  );

  const receive = (event: StreamEvent): void => {
    if (event.payload.sessionId !== sessionId) {
      early.current.push(event);
      if (early.current.length > 5000) early.current.splice(0, early.current.length - 5000);
      return;
    }
    setState((prev) => apply(prev, event));
    // The final view adds what events never carry: visible names, full metrics, whether a vote is possible.
    if (event.kind === 'done') void refresh(event.payload.sessionId);
  };
  useParityEvent('compare.delta', (payload) => receive({ kind: 'delta', payload }));
  useParityEvent('compare.done', (payload) => receive({ kind: 'done', payload }));

  const run = useCallback(
    async (fn: () => Promise<CompareSession>, after?: (view: CompareSession) => void) => {
      setState((prev) => ({ ...prev, busy: true, error: null }));
      try {
        const view = await fn();
        const buffered = early.current;
        early.current = [];
        setState((prev) => {
          if (prev.session?.id === view.id) return { ...prev, busy: false, session: mergeView(prev.session, view) };
          let next: CompareState = { session: view, live: {}, busy: false, error: null };
          for (const event of buffered) next = apply(next, event);
          return next;
        });
        after?.(view);
      } catch (error) {
        setState((prev) => ({ ...prev, busy: false, error }));
      }
    },
    [],
  );

  const start = useCallback(
    (input: CompareStartInput) => {
      setState({ session: null, live: {}, busy: true, error: null });
      return run(
        () => call(client, 'compare.start', input),
        (view) => {
          void queryClient.invalidateQueries({ queryKey: ['compare', 'list'] });
          // Answers that ended before the start reply arrived get their final view now.
          if (view.status === 'running') void refresh(view.id);
        },
      );
    },
    [client, queryClient, run, refresh],
  );

  const open = useCallback(
    (id: string) => {
      setState({ session: null, live: {}, busy: true, error: null });
      return run(() => call(client, 'compare.get', { sessionId: id }));
    },
    [client, run],
  );

  const stop = useCallback(
    (slot?: number) => (sessionId ? run(() => call(client, 'compare.stop', slot === undefined ? { sessionId } : { sessionId, slot })) : Promise.resolve()),
    [client, run, sessionId],
  );

  const invalidateBoard = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['compare', 'leaderboard'] });
    void queryClient.invalidateQueries({ queryKey: ['compare', 'list'] });
  }, [queryClient]);

  const vote = useCallback(
    (choice: VoteChoice) => (sessionId ? run(() => call(client, 'compare.vote', { sessionId, choice }), invalidateBoard) : Promise.resolve()),
    [client, run, sessionId, invalidateBoard],
  );

  const reveal = useCallback(
    () => (sessionId ? run(() => call(client, 'compare.reveal', { sessionId }), invalidateBoard) : Promise.resolve()),
    [client, run, sessionId, invalidateBoard],
  );

  const dismissError = useCallback(() => setState((prev) => ({ ...prev, error: null })), []);

  const answerTools = useCallback(
    (slot: number, results: unknown[]) => (sessionId ? run(() => call(client, 'compare.answerTools', { sessionId, slot, results })) : Promise.resolve()),
    [client, run, sessionId],
  );

  return { ...state, start, open, stop, vote, reveal, answerTools, dismissError };
}
