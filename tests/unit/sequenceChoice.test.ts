import type { Token } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { poolPolicy } from '../../src/main/core/engine/LoadedModel';
import { chooseSequence, reusableTokens, type SequenceCandidate } from '../../src/main/core/engine/sequenceChoice';

const t = (...xs: number[]): Token[] => xs as Token[];
const seq = (name: string, tokens: Token[], busy = 0): SequenceCandidate<string> => ({ sequence: name, tokens, busy });

describe('reusableTokens', () => {
  it('counts the shared start, never the prompt’s last token (the generation evaluates it again)', () => {
    expect(reusableTokens(t(1, 2, 3), t(1, 2, 3, 4, 5))).toBe(3);
    expect(reusableTokens(t(1, 2, 3, 9), t(1, 2, 3, 4, 5))).toBe(3);
    expect(reusableTokens(t(1, 2, 3, 4, 5, 6), t(1, 2, 3, 4, 5))).toBe(4);
    expect(reusableTokens(t(7, 2), t(1, 2))).toBe(0);
    expect(reusableTokens(t(1), t(1))).toBe(0);
  });
});

describe('chooseSequence', () => {
  const prompt = t(1, 2, 3, 4, 5, 6, 7, 8);

  it('takes the longest cache hit, even on a busy context', () => {
    const choice = chooseSequence([seq('empty', []), seq('short', t(1, 2), 3), seq('long', t(1, 2, 3, 4), 3)], prompt);
    expect(choice).toMatchObject({ kind: 'hit', keep: 4, candidate: { sequence: 'long' } });
  });

  it('reuses a sequence sharing half the prompt only where erasing is quick, else takes an empty one', () => {
    const regenerated = seq('old answer', t(1, 2, 3, 4, 5, 6, 7, 8, 40, 41));
    expect(chooseSequence([seq('empty', []), regenerated], prompt)).toMatchObject({ kind: 'partial', keep: 7, candidate: { sequence: 'old answer' } });
    // Two others decoding: node-llama-cpp would hold the erase until their answers end.
    const busy = { ...regenerated, busy: 2 };
    expect(chooseSequence([busy, seq('empty', [], 2)], prompt)).toMatchObject({ kind: 'empty', candidate: { sequence: 'empty' } });
  });

  it('keeps another conversation’s cache when the prompt shares only a little of it', () => {
    const other = seq('other chat', t(1, 2, 30, 31, 32, 33, 34, 35, 36));
    expect(chooseSequence([other, seq('never used', [])], prompt)).toMatchObject({ kind: 'empty', candidate: { sequence: 'never used' } });
  });

  it('without an empty sequence, erases one on a quiet context first, the least recently released among equals', () => {
    const choice = chooseSequence([seq('old busy', t(9, 9), 2), seq('old', t(8, 8), 1), seq('new', t(7, 7), 1)], prompt);
    expect(choice).toMatchObject({ kind: 'dirty', cheap: true, candidate: { sequence: 'old' } });
    expect(chooseSequence([seq('a', t(9), 2), seq('b', t(8), 2)], prompt)).toMatchObject({ kind: 'dirty', cheap: false, candidate: { sequence: 'a' } });
  });

  it('without a prompt, prefers an empty sequence and reuses nothing', () => {
    expect(chooseSequence([seq('full', t(1, 2, 3)), seq('empty', [])])).toMatchObject({ kind: 'empty' });
    expect(chooseSequence([seq('full', t(1, 2, 3))])).toMatchObject({ kind: 'dirty', keep: 0 });
    expect(chooseSequence([])).toBeNull();
  });
});

describe('poolPolicy', () => {
  it('keeps every cache up to 2 leases; from 3 leases adds a spare and keeps one; eval cells keep none', () => {
    expect(poolPolicy(2, false)).toEqual({ sequences: 2, keep: Number.POSITIVE_INFINITY });
    expect(poolPolicy(4, false)).toEqual({ sequences: 5, keep: 1 });
    expect(poolPolicy(8, true)).toEqual({ sequences: 9, keep: 0 });
  });
});
