import { describe, expect, it } from 'vitest';
import { computeLeaderboard, fitBradleyTerry, MIN_VOTES_FOR_INTERVAL, votePairs, type VoteInput } from '../../src/main/core/compare/BradleyTerry';

function votes(a: string, b: string, aWins: number, bWins: number, ties = 0): VoteInput[] {
  return [
    ...Array.from({ length: aWins }, () => ({ choice: 'A' as const, refs: [a, b] })),
    ...Array.from({ length: bWins }, () => ({ choice: 'B' as const, refs: [a, b] })),
    ...Array.from({ length: ties }, () => ({ choice: 'tie' as const, refs: [a, b] })),
  ];
}

describe('votePairs', () => {
  it('turns a pick-best vote into wins over every other slot and a tie into half points', () => {
    expect(votePairs({ choice: 'C', refs: ['x', 'y', 'z'] })).toEqual([
      { a: 'z', b: 'x', score: 1 },
      { a: 'z', b: 'y', score: 1 },
    ]);
    expect(votePairs({ choice: 'both-bad', refs: ['x', 'y', 'z'] })).toHaveLength(3);
    expect(votePairs({ choice: 'tie', refs: ['x', 'y'] })).toEqual([{ a: 'x', b: 'y', score: 0.5 }]);
  });

  it('ignores a model compared with itself', () => {
    expect(votePairs({ choice: 'A', refs: ['x', 'x'] })).toEqual([]);
    expect(votePairs({ choice: 'B', refs: ['x', 'x', 'y'] })).toEqual([{ a: 'x', b: 'y', score: 1 }]);
  });
});

describe('Bradley-Terry (MM)', () => {
  it('matches the hand-computed maximum-likelihood fit: 8 of 10 wins means strength ratio 4, 400·log10(4) ≈ 240.8 Elo apart', () => {
    const pairs = votes('a', 'b', 8, 2).flatMap(votePairs);
    const r = fitBradleyTerry(pairs, ['a', 'b'], { prior: 0 });
    expect(r.get('a')! - r.get('b')!).toBeCloseTo(400 * Math.log10(4), 6);
    // The field's geometric mean sits at 1000.
    expect((r.get('a')! + r.get('b')!) / 2).toBeCloseTo(1000, 6);
  });

  it('counts a tie as half a win each: 6 wins, 2 losses, 4 ties is 8 to 4, ratio 2', () => {
    const pairs = votes('a', 'b', 6, 2, 4).flatMap(votePairs);
    const r = fitBradleyTerry(pairs, ['a', 'b'], { prior: 0 });
    expect(r.get('a')! - r.get('b')!).toBeCloseTo(400 * Math.log10(2), 6);
  });

  it('rates a perfectly cyclic set of results equally', () => {
    const pairs = [...votes('a', 'b', 2, 1), ...votes('b', 'c', 2, 1), ...votes('c', 'a', 2, 1)].flatMap(votePairs);
    const r = fitBradleyTerry(pairs, ['a', 'b', 'c'], { prior: 0 });
    for (const ref of ['a', 'b', 'c']) expect(r.get(ref)).toBeCloseTo(1000, 6);
  });

  it('keeps a model that never won at a finite rating thanks to the prior, still below the winner', () => {
    const r = fitBradleyTerry(votes('a', 'b', 5, 0).flatMap(votePairs), ['a', 'b']);
    expect(Number.isFinite(r.get('b')!)).toBe(true);
    expect(r.get('a')!).toBeGreaterThan(r.get('b')!);
  });

  it('orders a transitive chain a > b > c', () => {
    const board = computeLeaderboard([...votes('a', 'b', 7, 3), ...votes('b', 'c', 7, 3)], { bootstrapSamples: 50 });
    expect(board.rows.map((row) => row.ref)).toEqual(['a', 'b', 'c']);
    expect(board.rows.map((row) => row.rank)).toEqual([1, 2, 3]);
  });
});

describe('leaderboard', () => {
  it('ranks A first when A beats B 8 of 10, with counts and an interval containing the estimate', () => {
    const board = computeLeaderboard(votes('model-a', 'model-b', 8, 2));
    expect(board.totalVotes).toBe(10);
    expect(board.method).toBe('bradley-terry');
    const [first, second] = board.rows;
    expect(first).toMatchObject({ rank: 1, ref: 'model-a', votes: 10, wins: 8, losses: 2, ties: 0 });
    expect(second).toMatchObject({ rank: 2, ref: 'model-b', votes: 10, wins: 2, losses: 8 });
    for (const row of board.rows) {
      const [lo, hi] = row.ci95!;
      expect(lo).toBeLessThanOrEqual(row.rating);
      expect(hi).toBeGreaterThanOrEqual(row.rating);
      expect(hi).toBeGreaterThan(lo);
    }
  });

  it('narrows the interval as votes accumulate at the same win rate', () => {
    const width = (n: number): number => {
      const row = computeLeaderboard(votes('a', 'b', 8 * n, 2 * n), { bootstrapSamples: 300 }).rows.find((r) => r.ref === 'a')!;
      return row.ci95![1] - row.ci95![0];
    };
    const w10 = width(1);
    const w80 = width(8);
    expect(w80).toBeLessThan(w10 * 0.6);
  });

  it('gives the same intervals for the same votes (seeded bootstrap)', () => {
    const v = votes('a', 'b', 6, 4);
    expect(computeLeaderboard(v)).toEqual(computeLeaderboard(v));
  });

  it('is empty without votes', () => {
    expect(computeLeaderboard([])).toEqual({ method: 'bradley-terry', totalVotes: 0, bootstrapSamples: 200, minVotes: MIN_VOTES_FOR_INTERVAL, rows: [] });
  });

  it('after one vote reports no interval ("too few votes") instead of a zero-width one like 1131 – 1131', () => {
    const board = computeLeaderboard(votes('a', 'b', 1, 0));
    expect(board.minVotes).toBe(10);
    for (const row of board.rows) {
      expect(row.votes).toBe(1);
      expect(row.ci95).toBeNull();
      // The point estimate is still given; only the certainty is withheld.
      expect(Number.isFinite(row.rating)).toBe(true);
    }
  });

  it('gives an interval from the minimum number of votes per model on, not before', () => {
    const nine = computeLeaderboard(votes('a', 'b', 6, 3));
    expect(nine.rows.every((row) => row.ci95 === null)).toBe(true);
    const ten = computeLeaderboard(votes('a', 'b', 6, 4));
    expect(ten.rows.every((row) => row.ci95 !== null && row.ci95[1] > row.ci95[0])).toBe(true);
    // Per model: a newcomer with 2 votes stays without an interval while the veterans get theirs.
    const mixed = computeLeaderboard([...votes('a', 'b', 8, 4), ...votes('a', 'c', 1, 1)]);
    expect(mixed.rows.find((r) => r.ref === 'c')!.ci95).toBeNull();
    expect(mixed.rows.find((r) => r.ref === 'b')!.ci95).not.toBeNull();
  });
});
