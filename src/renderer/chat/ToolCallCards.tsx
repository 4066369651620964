import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { ConversationView, PathMessage } from '../../shared/contract';
import { mockResultFor, type ToolCall, type ToolDefinition } from '../../shared/domain/structured';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { chatKeys } from './useChat';
import './toolCalls.css';

/** The arguments as the model wrote them, indented when they are JSON. */
export function formatArguments(c: Pick<ToolCall, 'arguments' | 'rawArguments'>): string {
  return c.arguments === null || c.arguments === undefined ? c.rawArguments : JSON.stringify(c.arguments, null, 2);
}

/** What the user typed: JSON when it parses, else the text itself (a tool may answer in prose). */
export function parseResult(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function resultText(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result, null, 2);
}

function Verdict({ problem }: { problem: string | null | undefined }) {
  if (problem === undefined) return null;
  return problem === null ? <span className="badge badge--accent">arguments follow the schema</span> : <span className="badge badge--warning">{problem}</span>;
}

/** One call: name, verdict, arguments, and the result once given; `children` go below (a result field). */
export function ToolCallView({ call: c, children }: { call: ToolCall; children?: ReactNode }) {
  return (
    <section className="tool-call" aria-label={`Tool call ${c.name}`}>
      <header className="tool-call-head">
        <strong className="mono">{c.name}</strong> <Verdict problem={c.problem} />
      </header>
      <pre className="tool-call-args mono">{formatArguments(c)}</pre>
      {c.result !== undefined && (
        <>
          <div className="field-hint">Result given</div>
          <pre className="tool-call-args mono">{resultText(c.result)}</pre>
        </>
      )}
      {children}
    </section>
  );
}

const CHECK_TEXT = { jsonValid: ['valid JSON', 'not valid JSON'], schemaValid: ['follows the schema', 'does not follow the schema'], toolCallValid: ['valid tool calls', 'invalid tool call'], toolChoiceCorrect: ['the demanded call', 'not the demanded call'] } as const;

/** One answer's structured checks as badges (compare shows these for its single prompt); nothing where not asked. */
export function StructuredChecks({ checks }: { checks: Partial<Record<keyof typeof CHECK_TEXT, boolean | null>> | undefined }) {
  if (!checks) return null;
  const shown = (Object.keys(CHECK_TEXT) as Array<keyof typeof CHECK_TEXT>).filter((k) => checks[k] !== null && checks[k] !== undefined);
  if (shown.length === 0) return null;
  return (
    <p className="tool-call-head" aria-label="Structured output checks">
      {shown.map((k) => (
        <span key={k} className={checks[k] ? 'badge badge--accent' : 'badge badge--warning'}>
          {CHECK_TEXT[k][checks[k] ? 0 : 1]}
        </span>
      ))}
    </p>
  );
}

export interface ToolCallCardsProps {
  /** A chat message, or any answer with tool calls (compare passes its slot). */
  message: Pick<PathMessage, 'id' | 'conversationId' | 'status'> & { metrics: { toolCalls?: ToolCall[] } | null };
  busy: boolean;
  /** The conversation's tools, for their mock results. */
  tools?: readonly ToolDefinition[];
  /** Sends the results (one per call); the default posts chat.answerTools and refreshes the conversation. */
  onAnswer?: (results: unknown[]) => Promise<void>;
}

/**
 * The tool calls of one answer as cards: name, arguments as indented JSON, the verdict against the
 * tool's schema, and, until answered, a result field per call (typed, or filled from the tool's
 * mock results). Sending gives the results to the model, which continues. Nothing is run.
 */
export function ToolCallCards({ message, busy, tools, onAnswer }: ToolCallCardsProps) {
  const calls = message.metrics?.toolCalls ?? [];
  // By call index; calls arrive when the answer ends, after this state was created.
  const [drafts, setDrafts] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const client = useClient();
  const queryClient = useQueryClient();
  if (calls.length === 0 || message.status === 'streaming') return null;
  const answered = calls.every((c) => c.result !== undefined);
  const mocks = calls.map((c) => mockResultFor(c, undefined, tools));
  const texts = calls.map((_, i) => drafts[i] ?? '');
  const send =
    onAnswer ??
    (async (results: unknown[]) => {
      await call(client, 'chat.answerTools', { conversationId: message.conversationId, messageId: message.id, results });
      await queryClient.invalidateQueries({ queryKey: chatKeys.conversation(message.conversationId) });
    });
  return (
    <form
      className="tool-calls"
      aria-label="Tool calls"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        send(texts.map(parseResult)).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
      }}
    >
      {calls.map((c, i) => (
        <ToolCallView key={c.id ?? i} call={c}>
          {c.result === undefined && (
            <textarea
              className="textarea mono"
              rows={3}
              aria-label={`Result of ${c.name}`}
              placeholder="The tool's answer (JSON or text). Parity does not run tools."
              value={texts[i]}
              onChange={(e) => {
                const value = e.target.value;
                setDrafts((d) => Object.assign([...d], { [i]: value }));
              }}
            />
          )}
        </ToolCallView>
      ))}
      {!answered && (
        <div className="chat-msg-actions">
          {mocks.some((m) => m.found) && (
            <Button size="sm" disabled={busy} onClick={() => setDrafts(texts.map((x, i) => { const m = mocks[i]!; return m.found ? resultText(m.result) : x; }))}>
              Fill from mock results
            </Button>
          )}
          <Button type="submit" size="sm" variant="primary" disabled={busy || texts.some((d) => !d.trim())}>
            Send results
          </Button>
        </div>
      )}
      {error && <p className="chat-status">{error}</p>}
    </form>
  );
}

/** The conversation's tools, read from the cached view (the card sits deep in the list). */
export function useConversationTools(conversationId: string): readonly ToolDefinition[] | undefined {
  const queryClient = useQueryClient();
  return queryClient.getQueryData<ConversationView>(chatKeys.conversation(conversationId))?.conversation.params.tools;
}
