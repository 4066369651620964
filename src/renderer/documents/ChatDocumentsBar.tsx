import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ChatCollections } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useCollections } from './useDocs';
import './chatDocs.css';

export const chatDocsKey = (conversationId: string | null) => ['docs.chat.get', conversationId] as const;

export interface ChatDocumentsBarProps {
  conversationId: string | null;
  modelRef: string;
  /** Whether the model runs on this device; passages go to a remote one only after consent. */
  local: boolean;
  disabled: boolean;
  /** Attaching in a new chat creates the conversation first. */
  onCreated: (id: string) => void;
}

/** "Answer from documents": which collections this conversation searches before each answer. */
export function ChatDocumentsBar({ conversationId, modelRef, local, disabled, onCreated }: ChatDocumentsBarProps) {
  const client = useClient();
  const queryClient = useQueryClient();
  const collections = useCollections();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState<string[] | null>(null);
  const panelId = useId();
  const attached = useQuery({
    queryKey: chatDocsKey(conversationId),
    queryFn: () => call(client, 'docs.chat.get', { conversationId: conversationId! }),
    enabled: conversationId !== null,
  });
  const setAttached = useMutation({
    mutationFn: async (next: string[]) => {
      let id = conversationId;
      if (!id) {
        id = (await call(client, 'chat.conversations.create', { modelRef: modelRef || null })).id;
        onCreated(id);
      }
      return call(client, 'docs.chat.set', { conversationId: id, collections: next });
    },
    onSuccess: (data) => queryClient.setQueryData<ChatCollections>(chatDocsKey(data.conversationId), data),
  });
  const confirm = useMutation({
    mutationFn: () => call(client, 'docs.chat.confirmRemote', { conversationId: conversationId! }),
    onSuccess: (data) => queryClient.setQueryData<ChatCollections>(chatDocsKey(data.conversationId), data),
  });
  // While a change is saved the boxes already show it: React state set in the click itself, since a
  // controlled checkbox snaps back to its old value when no state changes during the event.
  const names = pending ?? attached.data?.collections ?? [];
  const available = collections.data ?? [];
  if (available.length === 0 && names.length === 0) return null;

  const toggle = (name: string, on: boolean) => {
    const next = on ? [...names, name] : names.filter((n) => n !== name);
    setPending(next);
    setAttached.mutate(next, { onSettled: () => setPending(null) });
  };
  const needsConsent = !local && modelRef !== '' && names.length > 0 && !attached.data?.remoteConfirmedAt;

  return (
    <div className="chat-docs">
      <div className="chat-docs-row">
        <Button size="sm" variant="ghost" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
          Documents{names.length > 0 ? ` (${names.length})` : ''}
        </Button>
        <span className="chat-docs-summary" role="status">
          {names.length > 0 ? `Answers cite passages from ${names.join(', ')}.` : 'Answer from your documents: attach a collection.'}
        </span>
      </div>
      {open && (
        <fieldset id={panelId} className="chat-docs-panel" disabled={disabled || setAttached.isPending}>
          <legend>Collections this conversation answers from</legend>
          {available.map((c) => (
            <label key={c.id} className="chat-docs-option">
              <input type="checkbox" checked={names.includes(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} />
              {c.name} <span className="docs-muted">({c.documents} files{c.embeddingModel ? '' : ', keyword search'})</span>
            </label>
          ))}
        </fieldset>
      )}
      {needsConsent && (
        <div className="chat-docs-consent" role="alert">
          <span>
            {modelRef} runs off this device. Answering from {names.join(', ')} sends the retrieved passages to it; each send is written to the audit log.
          </span>
          <Button size="sm" variant="primary" busy={confirm.isPending} onClick={() => confirm.mutate()}>
            Allow for this conversation
          </Button>
        </div>
      )}
      {(setAttached.error || confirm.error) && <ErrorBanner error={setAttached.error ?? confirm.error} />}
    </div>
  );
}
