import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import type { ConversationParams, ConversationView } from '../../shared/contract';
import { useClient, useParityEvent } from '../api/ClientContext';
import { call } from '../api/client';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { ProgressBar } from '../ui/ProgressBar';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { ParamsPanel } from './ParamsPanel';
import { chatKeys, useConversation } from './useChat';
import { useChatStream } from './useChatStream';
import { DestinationBadge } from '../providers/DestinationBadge';
import { EngineBadge } from './EngineBadge';
import { usePickerModels } from '../models/usePickerModels';
import { localDefaults, pickerLabel } from '../models/pickerGroups';
import { EmptyState } from '../ui/EmptyState';
import { hrefFor } from '../app/useHashRoute';
import { ChatDocumentsBar } from '../documents/ChatDocumentsBar';
import { isLocal } from '../../shared/domain/modelRef';

export interface ConversationPaneProps {
  conversationId: string | null;
  onCreated: (id: string) => void;
}

export function ConversationPane({ conversationId, onCreated }: ConversationPaneProps) {
  const client = useClient();
  const queryClient = useQueryClient();
  // Null until the user picks: a new chat then starts on a model from this device, never a remote one.
  const [draftModel, setDraftModel] = useState<string | null>(null);
  const [showParams, setShowParams] = useState(false);
  const [loadProgress, setLoadProgress] = useState<number | null>(null);
  useParityEvent('engine.loadProgress', (p) => setLoadProgress(p.progress >= 1 ? null : p.progress));
  const choices = usePickerModels();
  const live = useChatStream(conversationId);
  const view = useConversation(conversationId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: chatKeys.conversation(conversationId) });

  const act = useMutation({
    mutationFn: async (action: (() => Promise<unknown>) & { patchesView?: boolean }) => action(),
    // Actions refetch the conversation, except a send that patched the cached view itself.
    onSettled: (_data, error, action) => {
      if (error || !action.patchesView) void refresh();
    },
  });

  const conversation = view.data?.conversation ?? null;
  const modelRef = conversation ? (conversation.modelRef ?? '') : (draftModel ?? (choices.data ? localDefaults(choices.data.groups, 1)[0]! : ''));
  const generating = Boolean(view.data?.generating);
  const choice = choices.data?.all.find((c) => c.ref === modelRef);
  // Remote models without a key are listed but cannot answer: they do not count as having a model.
  const noModels = choices.data !== undefined && !choices.data.groups.some((g) => g.id !== 'no-key');
  // Deferred: opening a long conversation mounts the list and parses a screenful of markdown,
  // which as a background render yields between rows instead of blocking in one long task.
  const messages = useDeferredValue(view.data?.path ?? null);
  const hasMessages = (view.data?.path.length ?? 0) > 0;

  const send = (text: string) =>
    act.mutate(Object.assign(async () => {
      let id = conversationId;
      if (!id) {
        const created = await call(client, 'chat.conversations.create', { modelRef: modelRef || null });
        id = created.id;
        onCreated(id);
      }
      const sent = await call(client, 'chat.send', { conversationId: id, text });
      appendSent(id, text, sent);
    }, { patchesView: conversationId !== null }));

  /** Shows the new question and the empty answer at once, without refetching a long conversation. */
  const appendSent = (id: string, text: string, sent: { userMessageId: string | null; assistantMessageId: string }) => {
    const key = chatKeys.conversation(id);
    const current = queryClient.getQueryData<ConversationView>(key);
    const last = current?.path.at(-1);
    if (!current || !sent.userMessageId || (current.path.length > 0 && !last)) {
      void queryClient.invalidateQueries({ queryKey: key });
      return;
    }
    const now = new Date().toISOString();
    const base = { conversationId: id, modelRef: current.conversation.modelRef, metrics: null, createdAt: now, updatedAt: now, siblingIndex: 0 };
    queryClient.setQueryData<ConversationView>(key, {
      conversation: { ...current.conversation, activeLeafId: sent.assistantMessageId },
      generating: true,
      path: [
        ...current.path,
        { ...base, id: sent.userMessageId, parentId: last?.id ?? null, role: 'user', content: text, status: 'complete', siblingIds: [sent.userMessageId] },
        { ...base, id: sent.assistantMessageId, parentId: sent.userMessageId, role: 'assistant', content: '', status: 'streaming', siblingIds: [sent.assistantMessageId] },
      ],
    });
  };

  const chooseModel = (ref: string) => {
    if (!conversation) return setDraftModel(ref);
    act.mutate(() => call(client, 'chat.conversations.update', { id: conversation.id, modelRef: ref || null }));
  };

  return (
    <section className="chat-pane" aria-label="Conversation">
      <div className="chat-toolbar">
        <select className="select" aria-label="Model" value={modelRef} onChange={(e) => chooseModel(e.target.value)} disabled={generating}>
          <option value="">{choices.isPending ? 'Loading models…' : 'Choose a model…'}</option>
          {choices.data?.groups.map((g) => (
            <optgroup key={g.id} label={g.label}>
              {g.models.map((c) => (
                <option key={c.ref} value={c.ref}>
                  {pickerLabel(c)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <DestinationBadge modelRef={modelRef || null} />
        {choice?.local && <EngineBadge />}
        {conversation && (
          <Button size="sm" variant="ghost" aria-expanded={showParams} onClick={() => setShowParams((s) => !s)}>
            Parameters
          </Button>
        )}
      </div>
      <ChatDocumentsBar conversationId={conversationId} modelRef={modelRef} local={modelRef === '' || isLocal(modelRef)} disabled={generating} onCreated={onCreated} />
      {showParams && conversation && (
        <ParamsPanel
          // Keyed by conversation only: a save must not remount the panel, or its "Saved" would vanish with it.
          key={conversation.id}
          conversation={conversation}
          saving={act.isPending}
          onSave={(patch: { systemPrompt: string; params: ConversationParams }) =>
            act.mutateAsync(() => call(client, 'chat.conversations.update', { id: conversation.id, ...patch }))
          }
        />
      )}
      {generating && loadProgress !== null && <ProgressBar label="Loading the model" value={loadProgress} />}
      {(view.error || act.error) && <ErrorBanner error={view.error ?? act.error} />}
      {messages && messages.length > 0 ? (
        <MessageList
          messages={messages}
          live={live}
          busy={generating || act.isPending}
          onRegenerate={(messageId, options) => act.mutate(() => call(client, 'chat.regenerate', { conversationId: conversation!.id, messageId, ...options }))}
          onEdit={(messageId, text) => act.mutate(() => call(client, 'chat.edit', { conversationId: conversation!.id, messageId, text }))}
          onSwitch={(messageId) => act.mutate(() => call(client, 'chat.switchBranch', { conversationId: conversation!.id, messageId }))}
        />
      ) : hasMessages ? (
        <div className="chat-scroll" />
      ) : noModels && !modelRef ? (
        <div className="chat-scroll chat-empty">
          <EmptyState
            title="No models yet"
            action={
              <a className="btn btn--primary" href={hrefFor('models')}>
                Go to Models
              </a>
            }
          >
            Add a GGUF file or download one on the Models page to chat on this device. Remote models appear here once a provider key is set in Settings.
          </EmptyState>
        </div>
      ) : (
        <div className="chat-scroll chat-empty">
          <p>{modelRef ? 'Ask anything. Answers stream here with their speed and timing.' : 'Pick a model above, then type a message.'}</p>
        </div>
      )}
      <Composer
        generating={generating}
        disabled={!modelRef || act.isPending}
        onSend={send}
        onStop={() => conversation && void call(client, 'chat.stop', { conversationId: conversation.id })}
      />
    </section>
  );
}
