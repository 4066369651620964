import { useState } from 'react';
import { Page } from '../ui/Page';
import './chat.css';
import { ConversationList } from './ConversationList';
import { ConversationPane } from './ConversationPane';

/** Conversations on the left, the open one on the right; a new chat starts as a draft until the first message. */
export function ChatPage() {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  return (
    <Page title="Chat" wide>
      <div className="chat-layout">
        <ConversationList selectedId={selectedId} onSelect={setSelectedId} />
        <ConversationPane key={selectedId ?? 'draft'} conversationId={selectedId} onCreated={setSelectedId} />
      </div>
    </Page>
  );
}
