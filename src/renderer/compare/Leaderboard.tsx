import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LeaderboardRow } from '../../shared/contract';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { EmptyState } from '../ui/EmptyState';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Spinner } from '../ui/Spinner';

/** Bradley-Terry ratings from local votes, each with its 95% interval and the votes behind it. */
export function Leaderboard() {
  const client = useClient();
  const [blindOnly, setBlindOnly] = useState(false);
  const board = useQuery({
    queryKey: ['compare', 'leaderboard', blindOnly],
    queryFn: () => call(client, 'compare.leaderboard', { blindOnly }),
  });
  return (
    <section className="section compare-leaderboard" aria-labelledby="leaderboard-title">
      <div className="compare-section-head">
        <div>
          <h2 id="leaderboard-title" className="section-title">
            Leaderboard
          </h2>
          <p className="section-description">
            Bradley-Terry ratings from your votes on this device (Elo scale, field average 1000), with 95% bootstrap intervals. Overlapping intervals mean
            the order is not settled yet.
          </p>
        </div>
        <label className="compare-inline-check">
          <input type="checkbox" checked={blindOnly} onChange={(e) => setBlindOnly(e.target.checked)} /> Blind votes only
        </label>
      </div>
      {board.isPending && <Spinner label="Loading leaderboard…" showLabel />}
      {board.error && <ErrorBanner title="Could not load the leaderboard" error={board.error} onRetry={() => void board.refetch()} />}
      {board.data && board.data.rows.length === 0 && (
        <EmptyState title="No votes yet">Compare two models, pick the better answer, and the ranking starts here.</EmptyState>
      )}
      {board.data && board.data.rows.length > 0 && <LeaderboardTable rows={board.data.rows} totalVotes={board.data.totalVotes} minVotes={board.data.minVotes} />}
    </section>
  );
}

function LeaderboardTable({ rows, totalVotes, minVotes }: { rows: LeaderboardRow[]; totalVotes: number; minVotes: number }) {
  const bounds = rows.flatMap((r) => (r.ci95 ? [r.ci95[0], r.ci95[1], r.rating] : []));
  const lo = Math.min(...bounds);
  const hi = Math.max(...bounds);
  const span = Math.max(hi - lo, 1);
  const pos = (v: number): string => `${((v - lo) / span) * 100}%`;
  return (
    <table className="data-table" aria-label="Leaderboard">
      <caption className="visually-hidden">Model ratings from {totalVotes} votes</caption>
      <thead>
        <tr>
          <th scope="col">Rank</th>
          <th scope="col">Model</th>
          <th scope="col" className="num">
            Rating
          </th>
          <th scope="col">95% interval</th>
          <th scope="col" className="num">
            Votes
          </th>
          <th scope="col" className="num">
            W / L / T
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.ref}>
            <td>{row.rank}</td>
            <td className="mono">{row.ref}</td>
            <td className="num">{Math.round(row.rating)}</td>
            <td>
              {row.ci95 ? (
                <span className="ci">
                  <span className="ci-text num">
                    {Math.round(row.ci95[0])} – {Math.round(row.ci95[1])}
                  </span>
                  <span className="ci-track" aria-hidden="true">
                    <span className="ci-range" style={{ left: pos(row.ci95[0]), width: `calc(${pos(row.ci95[1])} - ${pos(row.ci95[0])})` }} />
                    <span className="ci-point" style={{ left: pos(row.rating) }} />
                  </span>
                </span>
              ) : (
                // Drawing an interval from a handful of votes would show a certainty that is not there.
                <span className="badge badge--warning" title={`The interval is shown from ${minVotes} votes per model; until then the rating is a first guess.`}>
                  too few votes ({row.votes} of {minVotes})
                </span>
              )}
            </td>
            <td className="num">{row.votes}</td>
            <td className="num">
              {fmt(row.wins)} / {fmt(row.losses)} / {fmt(row.ties)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

