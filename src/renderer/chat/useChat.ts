import { useQuery } from '@tanstack/react-query';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';

/**
 * Every chat query key, built here only: a hand-written key that differs by one segment silently
 * misses its invalidation. Each key extends the one above it, so invalidating `lists()` refreshes
 * every search, and `all` everything chat holds.
 */
export const chatKeys = {
  all: ['chat'] as const,
  lists: () => [...chatKeys.all, 'list'] as const,
  list: (query: string) => [...chatKeys.lists(), query] as const,
  conversations: () => [...chatKeys.all, 'conversation'] as const,
  conversation: (id: string | null) => [...chatKeys.conversations(), id] as const,
};

/** Conversations, newest first; a non-blank query searches titles and messages. */
export function useConversations(query: string) {
  const client = useClient();
  return useQuery({
    queryKey: chatKeys.list(query),
    queryFn: () => call(client, 'chat.conversations.list', query.trim() ? { query } : {}),
  });
}

/** One conversation with its active path; idle while no conversation is open (a draft). */
export function useConversation(id: string | null) {
  const client = useClient();
  return useQuery({
    queryKey: chatKeys.conversation(id),
    queryFn: () => call(client, 'chat.conversations.get', { id: id! }),
    enabled: id !== null,
  });
}
