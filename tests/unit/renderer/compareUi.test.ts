import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CompareSession, CompareSlot } from '../../../src/shared/contract';
import { CompareColumn } from '../../../src/renderer/compare/CompareColumn';
import { VoteBar } from '../../../src/renderer/compare/VoteBar';

const metrics = { ttftMs: 12, promptTokens: 3, completionTokens: 40, decodeTokensPerSecond: 90, totalMs: 480, stopReason: 'eos' as const, usageEstimated: false, costUsd: null, error: null };

function slot(i: number, ref: string | null): CompareSlot {
  return { slot: i, label: (['A', 'B', 'C', 'D'] as const)[i]!, status: 'done', text: `answer ${i}`, ref, destination: null, metrics, detail: null };
}

function session(n: number, extra: Partial<CompareSession> = {}): CompareSession {
  return {
    id: 's',
    createdAt: '2026-01-01T00:00:00Z',
    prompt: 'p',
    systemPrompt: null,
    params: {},
    blind: true,
    revealed: false,
    status: 'done',
    vote: null,
    canVote: true,
    slots: Array.from({ length: n }, (_, i) => slot(i, null)),
    ...extra,
  };
}

const html = (element: Parameters<typeof renderToStaticMarkup>[0]): string => renderToStaticMarkup(element);
const noop = (): void => undefined;

describe('VoteBar', () => {
  it('offers the pair choices by their accessible names', () => {
    const markup = html(createElement(VoteBar, { session: session(2), busy: false, onVote: noop, onReveal: noop }));
    for (const name of ['A is better', 'B is better', 'Tie', 'Both bad', 'Reveal without voting']) expect(markup).toContain(`>${name}</button>`);
  });

  it('asks for the best of three or four', () => {
    const markup = html(createElement(VoteBar, { session: session(3), busy: false, onVote: noop, onReveal: noop }));
    for (const name of ['A is best', 'B is best', 'C is best', 'All bad']) expect(markup).toContain(`>${name}</button>`);
  });

  it('shows the recorded vote instead of buttons', () => {
    const markup = html(createElement(VoteBar, { session: session(2, { vote: { choice: 'B', createdAt: 'x' }, canVote: false, revealed: true }), busy: false, onVote: noop, onReveal: noop }));
    expect(markup).toContain('B is better');
    expect(markup).not.toContain('<button');
  });
});

describe('CompareColumn', () => {
  it('hides the model, its cost and its timing while blind: TTFT and speed would tell the models apart', () => {
    const markup = html(createElement(CompareColumn, { slot: slot(0, null), live: { elapsedMs: 300, ttftMs: 5, deltas: 30 }, blindHidden: true, winner: false, onStop: noop }));
    expect(markup).toContain('Hidden until you vote');
    expect(markup).toContain('aria-label="Answer A"');
    expect(markup).not.toContain('TTFT');
    expect(markup).not.toContain('tok/s');
    expect(markup).not.toContain('12 ms');
    expect(markup).not.toMatch(/<dt>Cost<\/dt>/);
  });

  it('shows the metrics once the names are visible', () => {
    const markup = html(createElement(CompareColumn, { slot: slot(0, null), live: undefined, blindHidden: false, winner: false, onStop: noop }));
    expect(markup).toContain('<dd>12 ms</dd>');
    expect(markup).toContain('90.0 tok/s');
  });
});
