import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { PathMessage } from '../../shared/contract';
import { MessageItem, type MessageItemProps } from './MessageItem';
import type { LiveAnswer } from './useChatStream';

export interface MessageListProps extends Omit<MessageItemProps, 'message' | 'liveText' | 'liveStats'> {
  messages: PathMessage[];
  live: ReadonlyMap<string, LiveAnswer>;
}

const ESTIMATED_ROW = 96;

/** Virtualized: only the rows on screen are in the DOM, so 1,000-message conversations stay light. */
export function MessageList({ messages, live, busy, onRegenerate, onEdit, onSwitch }: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  // Stable handlers, so the memoized rows that are not streaming skip each batch's render.
  const latest = useRef({ onRegenerate, onEdit, onSwitch });
  useLayoutEffect(() => {
    latest.current = { onRegenerate, onEdit, onSwitch };
  });
  const handlers = useMemo(
    () => ({
      onRegenerate: (id: string, options?: { confirmPolicy?: boolean }) => latest.current.onRegenerate(id, options),
      onEdit: (id: string, text: string) => latest.current.onEdit(id, text),
      onSwitch: (id: string) => latest.current.onSwitch(id),
    }),
    [],
  );
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW,
    // Render the rows at the end, where the list opens, in the first render: it runs in the
    // background (the pane defers it), whereas rows that only appear once the element is measured
    // render in one blocking task. The window's height bounds the element's until it is measured.
    initialOffset: () => messages.length * ESTIMATED_ROW,
    initialRect: { width: 0, height: window.innerHeight },
    overscan: 6,
    getItemKey: (index) => messages[index]!.id,
  });
  const lastId = messages.at(-1)?.id;
  const lastText = lastId ? live.get(lastId)?.text : undefined;

  // Follow the answer as it grows, unless the user scrolled up to read.
  useEffect(() => {
    if (stickToBottom.current && messages.length > 0) virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages.length, lastText, virtualizer]);

  return (
    <div
      className="chat-scroll"
      ref={scrollRef}
      onScroll={(event) => {
        const el = event.currentTarget;
        stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const message = messages[row.index]!;
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${row.start}px)` }}
            >
              <MessageItem message={message} liveText={live.get(message.id)?.text} liveStats={live.get(message.id)?.stats ?? null} busy={busy} {...handlers} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
