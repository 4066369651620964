import { useId, useState, type FormEvent } from 'react';
import type { CompareStartInput } from '../../shared/contract';
import type { GenerationParams } from '../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS, defaultLabel } from '../../shared/domain/generationDefaults';
import { Button } from '../ui/Button';
import { errorMessage } from '../ui/ErrorBanner';
import { DestinationBadge } from '../providers/DestinationBadge';
import { NumberField } from '../ui/NumberField';
import { localDefaults, pickerLabel, PICKER_GROUP_LABELS } from '../models/pickerGroups';
import { usePickerModels } from '../models/usePickerModels';

export interface CompareFormProps {
  running: boolean;
  busy: boolean;
  /** A blind comparison is on screen and not yet voted on: the chosen models must not show. */
  hideModels: boolean;
  onStart: (input: CompareStartInput) => void;
  onStopAll: () => void;
}

const MAX_MODELS = 4;

function parseOptionalNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Prompt, 2-4 model pickers, shared parameters and the blind switch. Ctrl/Cmd+Enter starts. */
export function CompareForm({ running, busy, hideModels, onStart, onStopAll }: CompareFormProps) {
  const options = usePickerModels();
  const listId = useId();
  // Null until the user edits a field: until then the fields hold local models (never a remote one).
  const [edited, setEdited] = useState<string[] | null>(null);
  const [missing, setMissing] = useState<number[]>([]);
  const [prompt, setPrompt] = useState('');
  const [systemPrompt, setSystemPrompt] = useState('');
  const [temperature, setTemperature] = useState('0.7');
  // Blank: core applies DEFAULT_MAX_TOKENS.compare, which the placeholder shows.
  const [maxTokens, setMaxTokens] = useState('');
  const [seed, setSeed] = useState('');
  const [blind, setBlind] = useState(false);

  const available = options.data?.all ?? [];
  const refs = edited ?? (options.data ? localDefaults(options.data.groups, 2) : ['', '']);
  const setRefs = (update: (prev: string[]) => string[]): void => {
    setMissing([]);
    setEdited(update(refs));
  };
  const ready = prompt.trim() !== '';

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    if (!ready || busy || running) return;
    // An empty field is an error to fix, never a cue to pick some model on the user's behalf.
    const empty = refs.flatMap((r, i) => (r.trim() === '' ? [i] : []));
    setMissing(empty);
    if (empty.length > 0) {
      document.getElementById(`${listId}-m${empty[0]}`)?.focus();
      return;
    }
    const params: GenerationParams = {};
    const t = parseOptionalNumber(temperature);
    const mt = parseOptionalNumber(maxTokens);
    const sd = parseOptionalNumber(seed);
    if (t !== undefined) params.temperature = t;
    if (mt !== undefined) params.maxTokens = Math.round(mt);
    if (sd !== undefined) params.seed = Math.round(sd);
    onStart({ prompt, systemPrompt: systemPrompt.trim() ? systemPrompt : undefined, refs: refs.map((r) => r.trim()), params, blind });
  };

  return (
    <form className="card compare-form" onSubmit={submit} aria-label="New comparison">
      {hideModels ? (
        <p className="field-hint compare-hidden-models" data-testid="hidden-models">
          {refs.length} models chosen: hidden until you vote, so the answers can be judged blind.
        </p>
      ) : (
      <div className="compare-pickers">
        <datalist id={listId}>
          {available.map((o) => (
            <option key={o.ref} value={o.ref}>
              {`${pickerLabel(o)} — ${PICKER_GROUP_LABELS[o.group]}`}
            </option>
          ))}
        </datalist>
        {refs.map((value, i) => (
          <div className="compare-picker" key={i}>
            <label className="field-label" htmlFor={`${listId}-m${i}`}>
              Model {i + 1}
            </label>
            <div className="compare-picker-row">
              <input
                id={`${listId}-m${i}`}
                className="input mono"
                list={listId}
                value={value}
                placeholder="local:<id>, or provider:model"
                onChange={(e) => setRefs((prev) => prev.map((r, j) => (j === i ? e.target.value : r)))}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={missing.includes(i) || undefined}
                aria-describedby={missing.includes(i) ? `${listId}-m${i}-error` : undefined}
              />
              {refs.length > 2 && (
                <Button size="sm" variant="ghost" aria-label={`Remove model ${i + 1}`} onClick={() => setRefs((prev) => prev.filter((_, j) => j !== i))}>
                  ✕
                </Button>
              )}
            </div>
            {missing.includes(i) && (
              <p className="field-error" id={`${listId}-m${i}-error`}>
                Choose a model for Model {i + 1}.
              </p>
            )}
            {!blind && value.trim() && <DestinationBadge modelRef={value.trim()} />}
          </div>
        ))}
        {refs.length < MAX_MODELS && (
          <Button className="compare-add" size="sm" onClick={() => setRefs((prev) => [...prev, ''])}>
            Add model
          </Button>
        )}
      </div>
      )}
      {options.error && <p className="field-error">Could not list models: {errorMessage(options.error)}. Type a model ref instead.</p>}
      {options.data && !options.data.groups.some((g) => g.id === 'local') && (
        <p className="field-hint">No models on this device yet: add a GGUF on the Models page, or type a remote ref (provider:model) yourself.</p>
      )}

      <label className="field-label" htmlFor={`${listId}-prompt`}>
        Prompt
      </label>
      <textarea
        id={`${listId}-prompt`}
        className="textarea compare-prompt"
        value={prompt}
        rows={3}
        placeholder="Ask every model the same thing…"
        onChange={(e) => setPrompt(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
        }}
        aria-describedby={`${listId}-prompt-hint`}
      />
      <p className="field-hint" id={`${listId}-prompt-hint`}>
        Ctrl+Enter (⌘+Enter) starts the comparison. Every model gets the same prompt and parameters.
      </p>

      <details className="compare-advanced">
        <summary>System prompt and parameters</summary>
        <label className="field-label" htmlFor={`${listId}-system`}>
          System prompt
        </label>
        <textarea id={`${listId}-system`} className="textarea" rows={2} value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} />
        <div className="compare-params">
          <NumberField className="compare-param" label="Temperature" value={temperature} onChange={setTemperature} step="0.1" min="0" max="2" />
          <NumberField className="compare-param" label="Max tokens" value={maxTokens} onChange={setMaxTokens} step="1" min="1" placeholder={defaultLabel(DEFAULT_MAX_TOKENS.compare)} />
          <NumberField className="compare-param" label="Seed" value={seed} onChange={setSeed} step="1" min="0" placeholder="random" />
        </div>
      </details>

      <div className="compare-actions">
        <label className="compare-inline-check">
          <input type="checkbox" role="switch" className="switch" checked={blind} onChange={(e) => setBlind(e.target.checked)} aria-describedby={`${listId}-blind-hint`} />
          Blind mode
        </label>
        <span className="field-hint" id={`${listId}-blind-hint`}>
          Shuffles the answers and hides the names until you vote.
        </span>
        <span className="compare-actions-spacer" />
        {running && (
          <Button variant="danger" onClick={onStopAll}>
            Stop all
          </Button>
        )}
        <Button type="submit" variant="primary" disabled={!ready || running} busy={busy && !running}>
          Compare
        </Button>
      </div>
    </form>
  );
}
