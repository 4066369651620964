import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { Button } from '../ui/Button';
import { useToast } from '../ui/Toast';
import { chatKeys, useConversations } from './useChat';

export interface ConversationListProps {
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

export function ConversationList({ selectedId, onSelect }: ConversationListProps) {
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [query, setQuery] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null);
  const list = useConversations(query);
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatKeys.lists() });

  const remove = async (id: string, title: string) => {
    await call(client, 'chat.conversations.delete', { id });
    if (selectedId === id) onSelect(null);
    void refresh();
    toast.show({
      message: `Deleted “${title}”`,
      actionLabel: 'Undo',
      onAction: () => void call(client, 'chat.conversations.restore', { id }).then(() => refresh()),
    });
  };

  const rename = async () => {
    if (!renaming || !renaming.title.trim()) return setRenaming(null);
    await call(client, 'chat.conversations.rename', { id: renaming.id, title: renaming.title });
    setRenaming(null);
    void refresh();
    void queryClient.invalidateQueries({ queryKey: chatKeys.conversation(renaming.id) });
  };

  return (
    <nav className="chat-list" aria-label="Conversations">
      <Button variant="primary" onClick={() => onSelect(null)}>
        New chat
      </Button>
      <input className="input" type="search" aria-label="Search conversations" placeholder="Search conversations" value={query} onChange={(e) => setQuery(e.target.value)} />
      <ul>
        {(list.data ?? []).map((c) => (
          <li key={c.id} className={c.id === selectedId ? 'chat-list-item is-selected' : 'chat-list-item'}>
            {renaming?.id === c.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void rename();
                }}
              >
                <input
                  className="input"
                  aria-label="Conversation title"
                  autoFocus
                  value={renaming.title}
                  onChange={(e) => setRenaming({ id: c.id, title: e.target.value })}
                  onBlur={() => void rename()}
                  onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)}
                />
              </form>
            ) : (
              <>
                <button type="button" className="chat-list-open" aria-current={c.id === selectedId ? 'true' : undefined} onClick={() => onSelect(c.id)}>
                  <span className="chat-list-title">{c.title}</span>
                  {c.snippet && <span className="chat-list-snippet">{c.snippet}</span>}
                </button>
                <span className="chat-list-actions">
                  <Button size="sm" variant="ghost" aria-label={`Rename ${c.title}`} onClick={() => setRenaming({ id: c.id, title: c.title })}>
                    ✎
                  </Button>
                  <Button size="sm" variant="ghost" aria-label={`Delete ${c.title}`} onClick={() => void remove(c.id, c.title)}>
                    ×
                  </Button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      {list.data?.length === 0 && <p className="chat-list-empty">{query ? 'No conversation matches.' : 'No conversations yet.'}</p>}
    </nav>
  );
}
