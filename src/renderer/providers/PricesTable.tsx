import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { PriceEntryDto } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { errorMessage } from '../ui/ErrorBanner';

const PRICES_KEY = ['prices'] as const;

function num(value: string): number | null {
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) || n < 0 ? null : n;
}

function PriceRow({ entry, onSave, onReset, busy }: { entry: PriceEntryDto; onSave: (e: PriceEntryDto) => void; onReset: () => void; busy: boolean }) {
  const [input, setInput] = useState(String(entry.inputPerMTok));
  const [output, setOutput] = useState(String(entry.outputPerMTok));
  const [cached, setCached] = useState(entry.cachedInputPerMTok === null ? '' : String(entry.cachedInputPerMTok));
  const valid = num(input) !== null && num(output) !== null && (cached.trim() === '' || num(cached) !== null);
  return (
    <tr>
      <th scope="row" className="mono">
        {entry.ref}
      </th>
      <td>
        <input className="input input--number" aria-label={`${entry.ref} input $/1M`} value={input} onChange={(e) => setInput(e.target.value)} inputMode="decimal" />
      </td>
      <td>
        <input className="input input--number" aria-label={`${entry.ref} cached input $/1M`} value={cached} onChange={(e) => setCached(e.target.value)} inputMode="decimal" />
      </td>
      <td>
        <input className="input input--number" aria-label={`${entry.ref} output $/1M`} value={output} onChange={(e) => setOutput(e.target.value)} inputMode="decimal" />
      </td>
      <td>{entry.source === 'user' ? 'yours' : 'default'}</td>
      <td>
        <Button size="sm" disabled={!valid} busy={busy} onClick={() => onSave({ ...entry, inputPerMTok: num(input)!, outputPerMTok: num(output)!, cachedInputPerMTok: num(cached) })}>
          Save
        </Button>
        {entry.source === 'user' && (
          <Button size="sm" variant="ghost" onClick={onReset}>
            Reset
          </Button>
        )}
      </td>
    </tr>
  );
}

/** The price table (USD per 1M tokens): shipped dated defaults, each overridable; add a price for any model ref. */
export function PricesTable() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState({ ref: '', input: '', output: '' });
  const prices = useQuery({ queryKey: PRICES_KEY, queryFn: () => call(client, 'prices.get', {}) });
  const save = useMutation({
    mutationFn: (input: { ref: string; inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok: number | null; reset?: boolean }) => call(client, 'prices.set', input),
    onSuccess: (data) => queryClient.setQueryData(PRICES_KEY, data),
  });
  if (!prices.data) return null;
  return (
    <div className="card">
      <p className="section-description">
        Prices in US dollars per 1 million tokens. Defaults as of {prices.data.asOf} (table version {prices.data.version}); check your provider’s pricing
        page. A model without a price shows its cost as unknown, never $0.
      </p>
      <div className="prices-table-wrap">
        <table className="audit-table" aria-label="Prices">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Input</th>
              <th scope="col">Cached input</th>
              <th scope="col">Output</th>
              <th scope="col">Source</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prices.data.prices.map((p) => (
              <PriceRow
                key={`${p.ref}:${p.source}:${p.inputPerMTok}:${p.outputPerMTok}:${p.cachedInputPerMTok}`}
                entry={p}
                busy={save.isPending && save.variables?.ref === p.ref}
                onSave={(e) => save.mutate({ ref: e.ref, inputPerMTok: e.inputPerMTok, outputPerMTok: e.outputPerMTok, cachedInputPerMTok: e.cachedInputPerMTok })}
                onReset={() => save.mutate({ ref: p.ref, inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: null, reset: true })}
              />
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="provider-key-actions prices-add"
        aria-label="Add a price"
        onSubmit={(e) => {
          e.preventDefault();
          const input = num(draft.input);
          const output = num(draft.output);
          if (!/^[a-z]+:.+/.test(draft.ref) || input === null || output === null) return;
          save.mutate({ ref: draft.ref.trim(), inputPerMTok: input, outputPerMTok: output, cachedInputPerMTok: null }, { onSuccess: () => setDraft({ ref: '', input: '', output: '' }) });
        }}
      >
        <input className="input prices-add-ref" aria-label="Model ref to price" placeholder="compat:groq/llama-3.1-8b-instant" value={draft.ref} onChange={(e) => setDraft({ ...draft, ref: e.target.value })} />
        <input className="input input--number" aria-label="New price input $/1M" placeholder="input" value={draft.input} onChange={(e) => setDraft({ ...draft, input: e.target.value })} />
        <input className="input input--number" aria-label="New price output $/1M" placeholder="output" value={draft.output} onChange={(e) => setDraft({ ...draft, output: e.target.value })} />
        <Button size="sm" type="submit" disabled={!/^[a-z]+:.+/.test(draft.ref) || num(draft.input) === null || num(draft.output) === null}>
          Add price
        </Button>
      </form>
      {save.error && (
        <p className="field-error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
    </div>
  );
}
