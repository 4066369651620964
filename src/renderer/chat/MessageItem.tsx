import { memo, useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { PathMessage } from '../../shared/contract';
import { Button } from '../ui/Button';
import { Markdown } from './LazyMarkdown';
import { failureText, metricsText } from './metricsText';
import { formatMs, formatTokensPerSecond } from '../../shared/format';
import { liveTokensPerSecond, type LiveStreamStats } from '../ui/liveSpeed';
import { AnswerSources, citationName, useAnswerRetrieval, type OpenSource } from '../documents/AnswerSources';
import { ToolCallCards, useConversationTools } from './ToolCallCards';

export interface MessageItemProps {
  message: PathMessage;
  /** Streamed text while the answer is being written. */
  liveText: string | undefined;
  /** Main's running figures for that text, from which the live speed is estimated. */
  liveStats: LiveStreamStats | null;
  busy: boolean;
  /** `confirmPolicy`: the user answered a data-policy question ("Send anyway"). */
  onRegenerate: (messageId: string, options?: { confirmPolicy?: boolean }) => void;
  onEdit: (messageId: string, text: string) => void;
  onSwitch: (messageId: string) => void;
}

const STATUS_LABEL: Record<string, string | null> = {
  complete: null,
  streaming: null,
  stopped: 'Stopped',
  error: 'Failed',
  interrupted: 'Interrupted',
};

function BranchSwitcher({ message, onSwitch, disabled }: { message: PathMessage; onSwitch: (id: string) => void; disabled: boolean }) {
  const { siblingIds, siblingIndex } = message;
  if (siblingIds.length < 2) return null;
  const prev = siblingIds[siblingIndex - 1];
  const next = siblingIds[siblingIndex + 1];
  return (
    <span className="chat-branch" role="group" aria-label="Versions">
      <Button size="sm" variant="ghost" aria-label="Previous version" disabled={!prev || disabled} onClick={() => prev && onSwitch(prev)}>
        ‹
      </Button>
      <span>
        {siblingIndex + 1} / {siblingIds.length}
      </span>
      <Button size="sm" variant="ghost" aria-label="Next version" disabled={!next || disabled} onClick={() => next && onSwitch(next)}>
        ›
      </Button>
    </span>
  );
}

/** Memoized: while an answer streams, only its own row re-renders (the list passes stable handlers). */
export const MessageItem = memo(function MessageItem({ message, liveText, liveStats, busy, onRegenerate, onEdit, onSwitch }: MessageItemProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const tools = useConversationTools(message.conversationId);
  const streaming = message.status === 'streaming';
  // Deferred: while tokens stream, re-rendering the markdown may lag a frame rather than block input.
  const text = useDeferredValue(streaming ? (liveText ?? message.content) : message.content);
  const status = STATUS_LABEL[message.status];
  // An answer streamed in this session keeps its blocks once saved, so its end re-parses nothing.
  const blockwise = liveText !== undefined;
  const retrieval = useAnswerRetrieval(message.id, streaming, message.role === 'assistant');
  const citations = useMemo(() => (retrieval ? new Map(retrieval.passages.map((p) => [p.n, citationName(p)])) : null), [retrieval]);
  const [openSource, setOpenSource] = useState<OpenSource>(null);
  const onCite = useCallback((n: number) => setOpenSource({ n, from: 'answer' }), []);

  if (message.role === 'user') {
    return (
      <div className="chat-msg chat-msg--user">
        {editing === null ? (
          <>
            <div className="chat-user-text">{message.content}</div>
            <div className="chat-msg-actions">
              <BranchSwitcher message={message} onSwitch={onSwitch} disabled={busy} />
              <Button size="sm" variant="ghost" disabled={busy} onClick={() => setEditing(message.content)}>
                Edit
              </Button>
            </div>
          </>
        ) : (
          <form
            className="chat-edit"
            onSubmit={(event) => {
              event.preventDefault();
              if (editing.trim()) onEdit(message.id, editing);
              setEditing(null);
            }}
          >
            <textarea className="textarea" aria-label="Edit message" value={editing} onChange={(e) => setEditing(e.target.value)} rows={3} />
            <div className="chat-msg-actions">
              <Button type="submit" size="sm" variant="primary" disabled={busy || !editing.trim()}>
                Resend
              </Button>
              <Button size="sm" onClick={() => setEditing(null)}>
                Cancel
              </Button>
            </div>
          </form>
        )}
      </div>
    );
  }

  return (
    <article className="chat-msg chat-msg--assistant" aria-label="Answer" aria-busy={streaming || undefined}>
      <div className="chat-markdown">{text ? <Markdown text={text} blockwise={blockwise} streaming={streaming} citations={citations} onCite={onCite} /> : streaming ? <span className="chat-cursor">…</span> : null}</div>
      <ToolCallCards message={message} busy={busy} tools={tools} />
      <AnswerSources record={retrieval} open={openSource} onOpen={setOpenSource} />
      {status && <p className="chat-status">{status}{message.metrics?.error ? `: ${failureText(message.metrics.error)}` : ''}</p>}
      {message.metrics && !streaming && <p className="chat-metrics">{metricsText(message.metrics)}</p>}
      {streaming && liveStats && <LiveSpeed stats={liveStats} />}
      <div className="chat-msg-actions">
        <BranchSwitcher message={message} onSwitch={onSwitch} disabled={busy} />
        {!streaming && message.metrics?.error?.code === 'POLICY_CONFIRM' && (
          <Button size="sm" variant="primary" disabled={busy} onClick={() => onRegenerate(message.id, { confirmPolicy: true })}>
            Send anyway
          </Button>
        )}
        {!streaming && (
          <Button size="sm" variant="ghost" disabled={busy} onClick={() => onRegenerate(message.id)}>
            Regenerate
          </Button>
        )}
      </div>
    </article>
  );
});

/** "~412 tok/s · ~96 tokens · TTFT 14 ms" while the answer streams (estimated until it ends). */
export function LiveSpeed({ stats }: { stats: LiveStreamStats }) {
  const tps = liveTokensPerSecond(stats);
  return (
    <p className="chat-metrics" data-testid="live-speed" title="Estimated while streaming: one delta is about one token. Exact figures appear when the answer ends.">
      {tps === null ? 'Measuring speed…' : `~${formatTokensPerSecond(tps)}`} · ~{stats.deltas} tokens · TTFT {formatMs(stats.ttftMs)}
    </p>
  );
}
