import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { CitedPassage, RetrievalRecord } from '../../shared/contract';
import { call } from '../api/client';
import { useClient, useParityEvent } from '../api/ClientContext';
import './chatDocs.css';

const retrievalKey = (messageId: string) => ['docs.retrievals.get', messageId] as const;

export function citationLabel(p: Pick<CitedPassage, 'fileName' | 'page' | 'heading'>): string {
  return `${p.fileName}${p.page !== null ? `, page ${p.page}` : p.heading ? ` › ${p.heading}` : ''}`;
}

/**
 * Under an answer from documents: its numbered sources (each opens its passage with file and page)
 * and "What the model saw": the passages with their ranks and scores, and the final prompt.
 */
export function AnswerSources({ messageId, streaming }: { messageId: string; streaming: boolean }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [openN, setOpenN] = useState<number | null>(null);
  // The record arrives as an event before the answer streams, so a live answer shows its sources at once.
  useParityEvent('docs.retrieved', (record) => {
    if (record.messageId === messageId) queryClient.setQueryData(retrievalKey(messageId), { retrieval: record });
  });
  const query = useQuery({ queryKey: retrievalKey(messageId), queryFn: () => call(client, 'docs.retrievals.get', { messageId }), staleTime: Infinity });
  // Read once more when the answer ends: a read that raced the record's write may have cached "none".
  const { refetch } = query;
  const wasStreaming = useRef(streaming);
  useEffect(() => {
    if (wasStreaming.current && !streaming) void refetch();
    wasStreaming.current = streaming;
  }, [streaming, refetch]);
  const record = query.data?.retrieval;
  if (!record) return null;
  const open = record.passages.find((p) => p.n === openN) ?? null;
  return (
    <section className="chat-sources" aria-label="Sources">
      {record.passages.length === 0 ? (
        <p className="docs-muted">No passage in {record.collections.join(', ')} matched this question.</p>
      ) : (
        <ol className="chat-sources-list">
          {record.passages.map((p) => (
            <li key={p.n}>
              <button type="button" className="chat-source" aria-expanded={openN === p.n} onClick={() => setOpenN(openN === p.n ? null : p.n)}>
                [{p.n}] {citationLabel(p)}
              </button>
            </li>
          ))}
        </ol>
      )}
      {open && (
        <blockquote className="chat-source-passage" aria-label={`Passage ${open.n}`}>
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
