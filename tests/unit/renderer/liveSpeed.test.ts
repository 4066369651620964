import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LiveSpeed } from '../../../src/renderer/chat/MessageItem';
import { liveTokensPerSecond } from '../../../src/renderer/ui/liveSpeed';

describe('live speed while streaming', () => {
  it('counts decode time from the first token: 101 deltas over 500 ms after a 100 ms TTFT is 250 tok/s', () => {
    expect(liveTokensPerSecond({ elapsedMs: 500, ttftMs: 100, deltas: 101 })).toBe(250);
  });

  it('says nothing before there is a rate to measure', () => {
    expect(liveTokensPerSecond({ elapsedMs: 50, ttftMs: 40, deltas: 1 })).toBeNull();
    expect(liveTokensPerSecond({ elapsedMs: 50, ttftMs: null, deltas: 0 })).toBeNull();
  });

  it('shows the estimate marked as one under a streaming chat answer', () => {
    const html = renderToStaticMarkup(createElement(LiveSpeed, { stats: { elapsedMs: 500, ttftMs: 100, deltas: 101 } }));
    expect(html).toContain('~250 tok/s · ~101 tokens · TTFT 100 ms');
  });
});
