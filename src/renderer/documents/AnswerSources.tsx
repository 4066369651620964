import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CitedPassage, RetrievalRecord } from '../../shared/contract';
import { call } from '../api/client';
import { useClient, useParityEvent } from '../api/ClientContext';
import './chatDocs.css';

const retrievalKey = (messageId: string) => ['docs.retrievals.get', messageId] as const;

export function citationLabel(p: Pick<CitedPassage, 'fileName' | 'page' | 'heading'>): string {
  return `${p.fileName}${p.page !== null ? `, page ${p.page}` : p.heading ? ` › ${p.heading}` : ''}`;
}

/** The accessible name of citation n, in the answer and in its sources: "Source 2: report.pdf, page 3". */
export function citationName(p: Pick<CitedPassage, 'n' | 'fileName' | 'page' | 'heading'>): string {
  return `Source ${p.n}: ${citationLabel(p)}`;
}

/** Which passage is open, and whether an inline `[n]` opened it (then it is brought into view). */
export type OpenSource = { n: number; from: 'answer' | 'sources' } | null;

/** The passages an answer was given (null for an answer without documents). */
export function useAnswerRetrieval(messageId: string, streaming: boolean, enabled = true): RetrievalRecord | null {
  const client = useClient();
  const queryClient = useQueryClient();
  // The record arrives as an event before the answer streams, so a live answer shows its sources at once.
  useParityEvent('docs.retrieved', (record) => {
    if (enabled && record.messageId === messageId) queryClient.setQueryData(retrievalKey(messageId), { retrieval: record });
  });
  const query = useQuery({ queryKey: retrievalKey(messageId), queryFn: () => call(client, 'docs.retrievals.get', { messageId }), staleTime: Infinity, enabled });
  // Read once more when the answer ends: a read that raced the record's write may have cached "none".
  const { refetch } = query;
  const wasStreaming = useRef(streaming);
  useEffect(() => {
    if (enabled && wasStreaming.current && !streaming) void refetch();
    wasStreaming.current = streaming;
  }, [enabled, streaming, refetch]);
  return query.data?.retrieval ?? null;
}

/**
 * Under an answer from documents: its numbered sources (each opens its passage with file and page)
 * and "What the model saw": the passages with their ranks and scores, and the final prompt.
 */
export function AnswerSources({ record, open: opened, onOpen }: { record: RetrievalRecord | null; open: OpenSource; onOpen: (open: OpenSource) => void }) {
  const passageRef = useRef<HTMLQuoteElement>(null);
  const open = record?.passages.find((p) => p.n === opened?.n) ?? null;
  useEffect(() => {
    if (opened?.from !== 'answer') return;
    passageRef.current?.scrollIntoView({ block: 'nearest' });
    passageRef.current?.focus({ preventScroll: true });
  }, [opened]);
  if (!record) return null;
  return (
    <section className="chat-sources" aria-label="Sources">
      {record.passages.length === 0 ? (
        <p className="docs-muted">No passage in {record.collections.join(', ')} matched this question.</p>
      ) : (
        <ol className="chat-sources-list">
          {record.passages.map((p) => (
            <li key={p.n}>
              <button type="button" className="chat-source" aria-expanded={open?.n === p.n} onClick={() => onOpen(open?.n === p.n ? null : { n: p.n, from: 'sources' })}>
                [{p.n}] {citationLabel(p)}
              </button>
            </li>
          ))}
        </ol>
      )}
      {open && (
        <blockquote ref={passageRef} tabIndex={-1} className="chat-source-passage" aria-label={`Passage ${open.n}`}>
          <p className="docs-muted">
            [{open.n}] {citationLabel(open)} · {open.collection}
          </p>
          <p className="chat-source-text">{open.text}</p>
        </blockquote>
      )}
      <WhatTheModelSaw record={record} />
    </section>
  );
}

function WhatTheModelSaw({ record }: { record: RetrievalRecord }) {
  return (
    <details className="chat-saw">
      <summary>What the model saw</summary>
      <p className="docs-muted">
        {record.mode === 'hybrid' ? 'Hybrid' : 'Keyword'} search of {record.collections.join(', ')} for “{record.query}”, top {record.k}
        {record.remote ? ' · sent to a remote model (recorded in the audit log)' : ' · stayed on this device'}
        {record.note ? ` · ${record.note}` : ''}
      </p>
      <table className="data-table chat-saw-table" aria-label="Retrieved passages">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Source</th>
            <th scope="col">Score</th>
            <th scope="col">Keyword rank</th>
            <th scope="col">Vector rank</th>
          </tr>
        </thead>
        <tbody>
          {record.passages.map((p) => (
            <tr key={p.n}>
              <td>{p.n}</td>
              <td>{citationLabel(p)}</td>
              <td>{p.score.toFixed(4)}</td>
              <td>{p.keywordRank ?? '–'}</td>
              <td>{p.vectorRank ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="docs-subtitle">Final prompt</p>
      <pre className="chat-saw-prompt" aria-label="Final prompt">
        {record.prompt.map((m) => `${m.role}:\n${m.content}`).join('\n\n')}
      </pre>
    </details>
  );
}
