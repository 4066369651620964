import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { PathMessage } from '../../shared/contract';
import { MessageItem, type MessageItemProps } from './MessageItem';

export interface MessageListProps extends Omit<MessageItemProps, 'message' | 'liveText'> {
  messages: PathMessage[];
  live: ReadonlyMap<string, string>;
}

/** Virtualized: only the rows on screen are in the DOM, so 1,000-message conversations stay light. */
export function MessageList({ messages, live, ...handlers }: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 96,
    overscan: 6,
    getItemKey: (index) => messages[index]!.id,
  });
  const lastId = messages.at(-1)?.id;
  const lastText = lastId ? live.get(lastId) : undefined;

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
              <MessageItem message={message} liveText={live.get(message.id)} {...handlers} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
