import type { Leaderboard, LeaderboardRow, VoteChoice } from '../../../shared/contract/compare';
import { SLOT_LABELS } from '../../../shared/contract/compare';
import { percentile } from '../util/percentile';

/**
 * Bradley-Terry ratings from pairwise votes, fitted with Hunter's MM algorithm (2004), on the Elo
 * scale (400·log10 of strength, the geometric mean of the field at 1000), with percentile
 * bootstrap intervals over votes. Pure functions: the service feeds them rows from the votes table.
 */

/** One vote as stored: the refs of its slots in display order and the choice. */
export interface VoteInput {
  choice: VoteChoice;
  refs: string[];
}

/** `score` is what `a` earned against `b`: 1 win, 0 loss, 0.5 tie. */
export interface PairOutcome {
  a: string;
  b: string;
  score: number;
}

export interface BradleyTerryOptions {
  /**
   * Pseudo-games (half won, half lost) each model plays against a fixed virtual opponent. Keeps a
   * model that never won (or never lost) at a finite rating and joins disconnected groups; 0
   * gives the plain maximum-likelihood fit.
   */
  prior?: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface LeaderboardOptions extends BradleyTerryOptions {
  bootstrapSamples?: number;
  /** Votes a model needs before its interval is reported (default MIN_VOTES_FOR_INTERVAL). */
  minVotes?: number;
  /** Seed of the resampling, so the same votes always give the same intervals. */
  seed?: number;
}

export const BASE_RATING = 1000;
/**
 * Below this many votes a model's bootstrap interval is not reported: resampling a handful of
 * votes mostly redraws the same ones, so the interval comes out narrow (one vote: zero width)
 * exactly when the rating is least known.
 */
export const MIN_VOTES_FOR_INTERVAL = 10;
const SCALE = 400 / Math.LN10;

/**
 * A pick-best vote makes the winner beat every other slot; "tie" and "both bad" make every pair a
 * tie (as in Chatbot Arena). Pairs of the same ref (a model compared with itself) carry no signal.
 */
export function votePairs(vote: VoteInput): PairOutcome[] {
  const pairs: PairOutcome[] = [];
  const winner = SLOT_LABELS.indexOf(vote.choice as (typeof SLOT_LABELS)[number]);
  if (winner >= 0) {
    const w = vote.refs[winner];
    if (w === undefined) return pairs;
    vote.refs.forEach((ref, i) => {
      if (i !== winner && ref !== w) pairs.push({ a: w, b: ref, score: 1 });
    });
    return pairs;
  }
  for (let i = 0; i < vote.refs.length; i++) {
    for (let j = i + 1; j < vote.refs.length; j++) {
      const a = vote.refs[i]!;
      const b = vote.refs[j]!;
      if (a !== b) pairs.push({ a, b, score: 0.5 });
    }
  }
  return pairs;
}

/** Ratings (Elo scale) of every model in `models` from the pairwise outcomes. */
export function fitBradleyTerry(pairs: readonly PairOutcome[], models: readonly string[], options: BradleyTerryOptions = {}): Map<string, number> {
  const prior = options.prior ?? 0.5;
  const maxIterations = options.maxIterations ?? 10_000;
  const tolerance = options.tolerance ?? 1e-10;
  const m = models.length;
  const index = new Map(models.map((ref, i) => [ref, i]));
  const wins = new Float64Array(m);
  // games[i*m+j]: comparisons between i and j (symmetric).
  const games = new Float64Array(m * m);
  for (const { a, b, score } of pairs) {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) continue;
    wins[i]! += score;
    wins[j]! += 1 - score;
    games[i * m + j]! += 1;
    games[j * m + i]! += 1;
  }
  let p = new Float64Array(m).fill(1);
  for (let iter = 0; iter < maxIterations; iter++) {
    const next = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let denominator = prior > 0 ? (2 * prior) / (p[i]! + 1) : 0;
      for (let j = 0; j < m; j++) {
        const n = games[i * m + j]!;
        if (n > 0) denominator += n / (p[i]! + p[j]!);
      }
      const numerator = wins[i]! + prior;
      next[i] = denominator > 0 ? numerator / denominator : p[i]!;
    }
    // Without the prior the scale is free: pin the geometric mean so iterations cannot drift.
    if (prior === 0) normalise(next);
    let change = 0;
    for (let i = 0; i < m; i++) change = Math.max(change, Math.abs(Math.log(next[i]!) - Math.log(p[i]!)));
    p = next;
    if (change < tolerance) break;
  }
  const logs = [...p].map((v) => Math.log(v));
  const mean = logs.reduce((s, v) => s + v, 0) / (m || 1);
  return new Map(models.map((ref, i) => [ref, BASE_RATING + SCALE * (logs[i]! - mean)]));
}

function normalise(p: Float64Array): void {
  let sum = 0;
  for (const v of p) sum += Math.log(v);
  const g = Math.exp(sum / p.length);
  for (let i = 0; i < p.length; i++) p[i] = p[i]! / g;
}

/** mulberry32: small, fast and good enough for resampling; seeded so results are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function computeLeaderboard(votes: readonly VoteInput[], options: LeaderboardOptions = {}): Leaderboard {
  const bootstrapSamples = options.bootstrapSamples ?? 200;
  const minVotes = options.minVotes ?? MIN_VOTES_FOR_INTERVAL;
  const perVote = votes.map(votePairs);
  const models = [...new Set(votes.flatMap((v) => v.refs))].sort();
  const ratings = fitBradleyTerry(perVote.flat(), models, options);

  const samples = new Map(models.map((ref) => [ref, [] as number[]]));
  const random = seededRandom(options.seed ?? 20_240_601);
  for (let b = 0; b < bootstrapSamples && perVote.length > 0; b++) {
    const pairs: PairOutcome[] = [];
    const present = new Set<string>();
    for (let k = 0; k < perVote.length; k++) {
      const pick = Math.floor(random() * perVote.length);
      for (const pair of perVote[pick]!) {
        pairs.push(pair);
        present.add(pair.a).add(pair.b);
      }
    }
    const fitted = fitBradleyTerry(pairs, [...present].sort(), options);
    // A model absent from a resample has no estimate there; recording the prior's value would narrow its interval falsely.
    for (const [ref, rating] of fitted) samples.get(ref)!.push(rating);
  }

  const tally = new Map(models.map((ref) => [ref, { votes: 0, wins: 0, losses: 0, ties: 0 }]));
  votes.forEach((vote, k) => {
    for (const ref of new Set(vote.refs)) tally.get(ref)!.votes += 1;
    for (const { a, b, score } of perVote[k]!) {
      const ta = tally.get(a)!;
      const tb = tally.get(b)!;
      if (score === 0.5) {
        ta.ties += 1;
        tb.ties += 1;
      } else {
        ta.wins += score;
        ta.losses += 1 - score;
        tb.wins += 1 - score;
        tb.losses += score;
      }
    }
  });

  const rows: LeaderboardRow[] = models
    .map((ref) => {
      const rating = ratings.get(ref)!;
      const sorted = samples.get(ref)!.sort((x, y) => x - y);
      const counts = tally.get(ref)!;
      return { rank: 0, ref, rating, ci95: interval(sorted, counts.votes, minVotes), ...counts };
    })
    .sort((x, y) => y.rating - x.rating || x.ref.localeCompare(y.ref))
    .map((row, i) => ({ ...row, rank: i + 1 }));

  return { method: 'bradley-terry', totalVotes: votes.length, bootstrapSamples, minVotes, rows };
}

/** The 95% percentile interval, or null when too few votes (or resamples) stand behind it to mean anything. */
function interval(sorted: readonly number[], votes: number, minVotes: number): [number, number] | null {
  if (votes < minVotes || sorted.length < 2) return null;
  const ci: [number, number] = [percentile(sorted, 2.5)!, percentile(sorted, 97.5)!];
  // A zero-width interval from real votes is an artefact of resampling, not certainty.
  return ci[1] - ci[0] > 1e-6 ? ci : null;
}
