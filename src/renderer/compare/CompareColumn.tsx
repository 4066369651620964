import type { CompareSlot } from '../../shared/contract';
import type { ToolDefinition } from '../../shared/domain/structured';
import { StructuredChecks, ToolCallCards, ToolCallView } from '../chat/ToolCallCards';
import { Button } from '../ui/Button';
import { formatMs, formatTokens, formatTokensPerSecond, formatUsd } from '../../shared/format';
import { DestinationBadge } from '../providers/DestinationBadge';
import type { LiveStats } from './useCompareSession';
import { liveTokensPerSecond } from '../ui/liveSpeed';

export interface CompareColumnProps {
  slot: CompareSlot;
  live: LiveStats | undefined;
  blindHidden: boolean;
  winner: boolean;
  onStop: () => void;
  /** Gives this answer's tool calls their results and lets the model continue; absent once voted. */
  onAnswerTools?: (results: unknown[]) => Promise<void>;
  /** The comparison's tools, for their mock results. */
  tools?: readonly ToolDefinition[];
}

const STATUS_TEXT: Record<CompareSlot['status'], string> = {
  streaming: 'Streaming…',
  done: 'Done',
  stopped: 'Stopped',
  error: 'Failed',
  interrupted: 'Interrupted',
};

export function CompareColumn({ slot, live, blindHidden, winner, onStop, onAnswerTools, tools }: CompareColumnProps) {
  const streaming = slot.status === 'streaming';
  const m = slot.metrics;
  const ttft = m?.ttftMs ?? live?.ttftMs ?? null;
  const tps = m ? m.decodeTokensPerSecond : live ? liveTokensPerSecond(live) : null;
  const tokens = m ? m.completionTokens : (live?.deltas ?? null);
  const estimated = !m && streaming;
  return (
    <section className={winner ? 'compare-column card compare-column--winner' : 'compare-column card'} aria-label={`Answer ${slot.label}`} aria-busy={streaming}>
      <header className="compare-column-header">
        <span className="compare-slot-label" aria-hidden="true">
          {slot.label}
        </span>
        <div className="compare-column-title">
          <span className="compare-model-name mono" data-testid="slot-model">
            {slot.ref ?? (blindHidden ? 'Hidden until you vote' : '—')}
          </span>
          <span className="compare-column-badges">
            <span className={`badge compare-status compare-status--${slot.status}`}>{STATUS_TEXT[slot.status]}</span>
            {slot.ref && <DestinationBadge modelRef={slot.ref} />}
            {winner && <span className="badge badge--accent">Your pick</span>}
          </span>
        </div>
        {streaming && (
          <Button size="sm" variant="ghost" onClick={onStop}>
            Stop {slot.label}
          </Button>
        )}
      </header>
      <div className="compare-output" data-testid="slot-output" tabIndex={0} aria-label={`Answer ${slot.label} text`}>
        {slot.text || (streaming ? <span className="compare-placeholder">Waiting for the first token…</span> : <span className="compare-placeholder">No text.</span>)}
      </div>
      {m?.toolCalls && m.toolCalls.length > 0 && onAnswerTools ? (
        <ToolCallCards message={{ id: `slot-${slot.slot}`, conversationId: '', status: slot.status === 'streaming' ? 'streaming' : 'complete', metrics: m }} busy={streaming} tools={tools} onAnswer={onAnswerTools} />
      ) : (
        m?.toolCalls &&
        m.toolCalls.length > 0 && (
          <div className="tool-calls" aria-label={`Tool calls of answer ${slot.label}`}>
            {m.toolCalls.map((c, i) => (
              <ToolCallView key={i} call={c} />
            ))}
          </div>
        )
      )}
      <StructuredChecks checks={m?.checks} />
      {m?.error && (
        <p className="compare-error" role="alert">
          {m.error.message} <span className="mono">({m.error.code})</span>
        </p>
      )}
      <dl className="compare-metrics" aria-label={`Metrics of answer ${slot.label}`}>
        {blindHidden ? (
          // Speed and latency tell models apart as surely as a name: they wait for the vote too.
          <div className="compare-metrics-hidden" title="Timing, speed and cost can identify a model, so they show once you vote.">
            <dt>Metrics</dt>
            <dd>Hidden until you vote</dd>
          </div>
        ) : (
          <>
            <div>
              <dt>TTFT</dt>
              <dd>{formatMs(ttft)}</dd>
            </div>
            <div>
              <dt>Speed</dt>
              <dd>
                {estimated && tps !== null ? '~' : ''}
                {formatTokensPerSecond(tps)}
              </dd>
            </div>
            <div>
              <dt>Tokens</dt>
              <dd>
                {estimated && tokens !== null ? '~' : ''}
                {formatTokens(tokens)}
                {m?.usageEstimated ? ' (est.)' : ''}
              </dd>
            </div>
            <div>
              <dt>Time</dt>
              <dd>{formatMs(m?.totalMs ?? live?.elapsedMs ?? null)}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{formatUsd(m?.costUsd ?? null)}</dd>
            </div>
          </>
        )}
      </dl>
    </section>
  );
}
