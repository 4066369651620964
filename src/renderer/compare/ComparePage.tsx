import { useQuery } from '@tanstack/react-query';
import { useClient } from '../api/ClientContext';
import { call } from '../api/client';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Page } from '../ui/Page';
import { CompareColumn } from './CompareColumn';
import { CompareForm } from './CompareForm';
import { Leaderboard } from './Leaderboard';
import { useCompareSession } from './useCompareSession';
import { VoteBar } from './VoteBar';
import './compare.css';

/** One prompt to 2-4 models side by side, blind voting, and the local leaderboard. */
export function ComparePage() {
  const compare = useCompareSession();
  const session = compare.session;
  const running = session?.status === 'running';
  return (
    <Page title="Compare" description="Send one prompt to several models at once and judge the answers side by side." wide>
      <CompareForm running={running} busy={compare.busy} hideModels={Boolean(session?.blind && !session.revealed)} onStart={(input) => void compare.start(input)} onStopAll={() => void compare.stop()} />
      {compare.error != null && <ErrorBanner title="Comparison failed" error={compare.error} onDismiss={compare.dismissError} />}
      {session && (
        <section className="section compare-session" aria-label="Answers">
          <div className={`compare-grid compare-grid--${session.slots.length}`}>
            {session.slots.map((slot) => (
              <CompareColumn
                key={slot.slot}
                slot={slot}
                live={compare.live[slot.slot]}
                blindHidden={session.blind && !session.revealed}
                winner={session.vote?.choice === slot.label}
                onStop={() => void compare.stop(slot.slot)}
                onAnswerTools={session.vote ? undefined : (results) => compare.answerTools(slot.slot, results)}
                tools={session.params.tools}
              />
            ))}
          </div>
          <VoteBar session={session} busy={compare.busy} onVote={(choice) => void compare.vote(choice)} onReveal={() => void compare.reveal()} />
        </section>
      )}
      <Leaderboard />
      <RecentComparisons onOpen={(id) => void compare.open(id)} currentId={session?.id ?? null} />
    </Page>
  );
}

function RecentComparisons({ onOpen, currentId }: { onOpen: (id: string) => void; currentId: string | null }) {
  const client = useClient();
  const list = useQuery({ queryKey: ['compare', 'list'], queryFn: () => call(client, 'compare.list', { limit: 20 }) });
  if (!list.data || list.data.items.length === 0) return null;
  return (
    <section className="section" aria-labelledby="recent-compare-title">
      <h2 id="recent-compare-title" className="section-title">
        Recent comparisons
      </h2>
      <ul className="compare-recent">
        {list.data.items.map((item) => (
          <li key={item.id}>
            <button type="button" className="compare-recent-item" aria-current={item.id === currentId ? 'true' : undefined} onClick={() => onOpen(item.id)}>
              <span className="compare-recent-prompt">{item.prompt}</span>
              <span className="compare-recent-meta">
                {item.refs ? item.refs.join(' · ') : `${item.slotCount} hidden models`}
                {item.blind && <span className="badge">blind</span>}
                {item.voted && <span className="badge badge--accent">voted</span>}
                <time dateTime={item.createdAt}>{new Date(item.createdAt).toLocaleString()}</time>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
