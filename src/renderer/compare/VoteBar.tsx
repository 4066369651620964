import type { CompareSession, VoteChoice } from '../../shared/contract';
import { Button } from '../ui/Button';

export interface VoteBarProps {
  session: CompareSession;
  busy: boolean;
  onVote: (choice: VoteChoice) => void;
  onReveal: () => void;
}

export function choiceText(choice: VoteChoice, slotCount: number): string {
  if (choice === 'tie') return 'Tie';
  if (choice === 'both-bad') return slotCount > 2 ? 'All bad' : 'Both bad';
  return slotCount > 2 ? `${choice} is best` : `${choice} is better`;
}

/** For a pair: A better / B better / tie / both bad. For three or four answers: pick the best. */
export function VoteBar({ session, busy, onVote, onReveal }: VoteBarProps) {
  const n = session.slots.length;
  if (session.vote) {
    return (
      <div className="compare-votebar" role="status">
        <span>
          You voted: <strong>{choiceText(session.vote.choice, n)}</strong>
          {session.blind ? ' — names revealed.' : '.'}
        </span>
      </div>
    );
  }
  if (!session.canVote) {
    if (session.status === 'running') return <div className="compare-votebar compare-votebar--muted">Vote once every answer has finished.</div>;
    return <div className="compare-votebar compare-votebar--muted">Names were revealed before a vote, so this comparison no longer counts.</div>;
  }
  const choices: VoteChoice[] = [...session.slots.map((s) => s.label), 'tie', 'both-bad'];
  return (
    <div className="compare-votebar" role="group" aria-label="Vote">
      <span className="compare-votebar-prompt">{n > 2 ? 'Which answer is best?' : 'Which answer is better?'}</span>
      {choices.map((choice) => (
        <Button key={choice} variant={choice.length === 1 ? 'primary' : 'secondary'} disabled={busy} onClick={() => onVote(choice)}>
          {choiceText(choice, n)}
        </Button>
      ))}
      {session.blind && !session.revealed && (
        <Button variant="ghost" disabled={busy} onClick={onReveal} title="Shows the names; this comparison then no longer counts for the leaderboard.">
          Reveal without voting
        </Button>
      )}
    </div>
  );
}
