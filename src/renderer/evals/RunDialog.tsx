import { useEffect, useId, useRef, useState } from 'react';
import type { RunSummary, Suite } from '../../shared/contract';
import type { GenerationParams } from '../../shared/domain/generation';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { DestinationBadge } from '../providers/DestinationBadge';
import { useModelOptions } from '../compare/useModelOptions';
import { useEvalsMutation } from './useEvals';
import { NumberField } from '../ui/NumberField';

export interface RunDialogProps {
  suite: Suite;
  onStarted: (run: RunSummary) => void;
  onClose: () => void;
}

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

/**
 * Picks models and identical parameters for every model, shows where each model's prompts go,
 * and starts the run. A native <dialog> opened modally: focus is trapped and Esc closes it.
 */
export function RunDialog({ suite, onStarted, onClose }: RunDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const options = useModelOptions();
  const suiteModels = suite.spec.providers.map((p) => p.id);
  const [picked, setPicked] = useState<string[]>(suiteModels);
  const [custom, setCustom] = useState('');
  const [repeat, setRepeat] = useState('1');
  const [temperature, setTemperature] = useState(suite.spec.defaultParams.temperature?.toString() ?? '0');
  const [seed, setSeed] = useState(suite.spec.defaultParams.seed?.toString() ?? '42');
  const [maxTokens, setMaxTokens] = useState(suite.spec.defaultParams.maxTokens?.toString() ?? '128');
  const [concurrency, setConcurrency] = useState('');
  const start = useEvalsMutation('evals.runs.start');

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const all = [...new Set([...(options.data ?? []).map((o) => o.ref), ...suiteModels, ...picked])];
  const toggle = (r: string, on: boolean): void => setPicked((p) => (on ? [...new Set([...p, r])] : p.filter((x) => x !== r)));

  const submit = (): void => {
    const params: GenerationParams = {};
    const t = num(temperature);
    const s = num(seed);
    const m = num(maxTokens);
    if (t !== undefined) params.temperature = t;
    if (s !== undefined) params.seed = Math.round(s);
    if (m !== undefined) params.maxTokens = Math.round(m);
    const c = num(concurrency);
    start.mutate(
      { suiteId: suite.id, suiteVersion: suite.version, models: picked, repeat: Math.max(1, Math.round(num(repeat) ?? 1)), params, ...(c !== undefined ? { concurrency: Math.round(c) } : {}) },
      { onSuccess: (run) => onStarted(run) },
    );
  };

  return (
    <dialog ref={ref} className="evals-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2 id={`${id}-title`}>
          Run “{suite.name}” v{suite.version}
        </h2>
        <fieldset className="evals-models">
          <legend>Models</legend>
          {all.length === 0 && <p className="field-hint">No models found. Add one on the Models page, or type a ref below.</p>}
          {all.map((r) => {
            const option = options.data?.find((o) => o.ref === r);
            return (
              <label key={r} className="evals-model-row">
                <input type="checkbox" checked={picked.includes(r)} onChange={(e) => toggle(r, e.target.checked)} />
                <span className="mono evals-grow">{option && option.name !== r ? `${option.name} (${r})` : r}</span>
                <DestinationBadge modelRef={r} />
              </label>
            );
          })}
          <div className="evals-model-row">
            <label className="visually-hidden" htmlFor={`${id}-custom`}>
              Model ref
            </label>
            <input
              id={`${id}-custom`}
              className="input mono evals-grow"
              placeholder="local:/path/model.gguf or openai:gpt-4o-mini"
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
            />
            <Button
              size="sm"
              disabled={!/^[a-z][\w-]*:.+$/.test(custom.trim())}
              onClick={() => {
                toggle(custom.trim(), true);
                setCustom('');
              }}
            >
              Add model
            </Button>
          </div>
        </fieldset>
        <div className="evals-grid3">
          <NumberField className="evals-field" label="Repeats" value={repeat} onChange={setRepeat} min="1" step="1" />
          <NumberField className="evals-field" label="Temperature" value={temperature} onChange={setTemperature} min="0" max="2" step="0.1" />
          <NumberField className="evals-field" label="Seed" value={seed} onChange={setSeed} min="0" step="1" />
          <NumberField className="evals-field" label="Max tokens" value={maxTokens} onChange={setMaxTokens} min="1" step="1" />
          <NumberField className="evals-field" label="Concurrency" value={concurrency} onChange={setConcurrency} min="1" step="1" placeholder="auto" />
        </div>
        <p className="field-hint">Every model gets the same prompts and these same parameters.</p>
        {start.error && <ErrorBanner title="Could not start the run" error={start.error} />}
        <div className="evals-savebar">
          <span className="evals-grow" />
          <Button onClick={() => ref.current?.close()}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={picked.length === 0} busy={start.isPending}>
            Start run
          </Button>
        </div>
      </form>
    </dialog>
  );
}
