import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConversationView } from '../../shared/contract';
import { useParityEvent } from '../api/ClientContext';
import type { LiveStreamStats } from '../ui/liveSpeed';
import { chatKeys } from './useChat';

/** An answer being written: its text so far and, while it streams, what its live speed comes from. */
export interface LiveAnswer {
  text: string;
  stats: LiveStreamStats | null;
}

/**
 * Text streamed into the answers of one conversation, keyed by message id. Main already batches
 * deltas (~24 ms), so one render per event is the budget. On `chat.done` the saved conversation
 * is refetched and takes over.
 */
export function useChatStream(conversationId: string | null): ReadonlyMap<string, LiveAnswer> {
  const queryClient = useQueryClient();
  const [texts, setTexts] = useState<ReadonlyMap<string, LiveAnswer>>(() => new Map());

  useParityEvent('chat.delta', (d) => {
    if (d.conversationId !== conversationId) return;
    setTexts((prev) => new Map(prev).set(d.messageId, { text: (prev.get(d.messageId)?.text ?? '') + d.text, stats: d.stats }));
  });
  useParityEvent('chat.done', (d) => {
    if (d.conversationId !== conversationId) return;
    setTexts((prev) => new Map(prev).set(d.messageId, { text: d.text, stats: null }));
    // Patch the one message in place: refetching a 1,000-message conversation per answer would
    // cost the renderer a long task for nothing.
    const key = chatKeys.conversation(d.conversationId);
    const view = queryClient.getQueryData<ConversationView>(key);
    if (view?.path.some((m) => m.id === d.messageId)) {
      queryClient.setQueryData<ConversationView>(key, {
        ...view,
        generating: false,
        path: view.path.map((m) => (m.id === d.messageId ? { ...m, content: d.text, status: d.status, metrics: d.metrics } : m)),
      });
    } else {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  });
  useParityEvent('chat.conversations.changed', () => {
    void queryClient.invalidateQueries({ queryKey: chatKeys.lists() });
  });
  return texts;
}
