import { useEffect, useId, useRef, useState } from 'react';
import type { RunSummary, Suite } from '../../shared/contract';
import type { GenerationParams } from '../../shared/domain/generation';
import { DEFAULT_MAX_TOKENS, defaultLabel } from '../../shared/domain/generationDefaults';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { DestinationBadge } from '../providers/DestinationBadge';
import { pickerLabel, type PickerModel } from '../models/pickerGroups';
import { usePickerModels } from '../models/usePickerModels';
import { isLocal } from '../../shared/domain/modelRef';
import { modelRefOf, providerKeys } from '../../shared/domain/evals';
import { suiteGraders } from '../../shared/domain/suiteGraders';
import { useEvalsMutation } from './useEvals';
import { NumberField } from '../ui/NumberField';
import { PolicyCostOption } from './PolicyCostOption';
import { usePolicyCostRefusal, useStartPolicyCost } from './usePolicyCost';

export interface RunDialogProps {
  suite: Suite;
  onStarted: (run: RunSummary) => void;
  onClose: () => void;
}

/**
 * Why the seed matters for repeats: repeat r samples with seed + r, so repeats are separate draws
 * that a rerun reproduces; at temperature 0 they are copies, which the statistics do not count twice.
 */
function seedHint(seed: number | undefined, repeats: number, temperature: number | undefined): string {
  const seeds = seed === undefined ? null : Array.from({ length: Math.min(repeats, 3) }, (_, r) => Math.round(seed) + r).join(', ') + (repeats > 3 ? ', …' : '');
  const which = seeds === null ? 'No seed: each request gets a random one, so the run cannot be reproduced exactly.' : `Repeat r uses seed + r (${seeds}), recorded in the run card.`;
  const greedy = repeats > 1 && (temperature ?? 0) === 0 ? ' At temperature 0 every repeat gives the same answer; raise the temperature for repeats to differ.' : '';
  return `${which}${greedy} Scores count each case once, its repeats averaged.`;
}

const num = (s: string): number | undefined => (s.trim() === '' || !Number.isFinite(Number(s)) ? undefined : Number(s));

/**
 * Picks models and identical parameters for every model, shows where each model's prompts go,
 * and starts the run. A native <dialog> opened modally: focus is trapped and Esc closes it.
 */
export function RunDialog({ suite, onStarted, onClose }: RunDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const options = usePickerModels();
  // The suite's providers by their run identity: the same model under two labels is two entries.
  const suiteModels = providerKeys(suite.spec);
  // A suite may name remote models, but only those on this device start ticked: sending prompts
  // off the machine is always the user's own choice.
  const [picked, setPicked] = useState<string[]>(() => suiteModels.filter((r) => isLocal(modelRefOf(suite.spec, r))));
  // Graders see every prompt and answer, so the suite's remote ones grade only when ticked here.
  const remoteGraders = suiteGraders(suite.spec).filter((r) => !isLocal(r));
  const [allowGraders, setAllowGraders] = useState(false);
  const [custom, setCustom] = useState('');
  const [repeat, setRepeat] = useState('1');
  const [temperature, setTemperature] = useState(suite.spec.defaultParams.temperature?.toString() ?? '0');
  const [seed, setSeed] = useState(suite.spec.defaultParams.seed?.toString() ?? '42');
  // Blank: each model keeps the suite's own max tokens, else core's DEFAULT_MAX_TOKENS.evals (the placeholder).
  const [maxTokens, setMaxTokens] = useState(suite.spec.defaultParams.maxTokens?.toString() ?? '');
  const [concurrency, setConcurrency] = useState('');
  const start = useEvalsMutation('evals.runs.start');
  const startPair = useStartPolicyCost();
  const policyCostRefusal = usePolicyCostRefusal();
  const [measurePolicy, setMeasurePolicy] = useState(false);
  // The confirmation holds for the remote models it named: ticking another one asks again.
  const [confirmedRemote, setConfirmedRemote] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const known = options.data?.all ?? [];
  const extra = [...new Set([...suiteModels, ...picked])].filter((r) => !known.some((o) => o.ref === r));
  const groups: Array<{ label: string; refs: string[] }> = [
    ...(options.data?.groups ?? []).map((g) => ({ label: g.label, refs: g.models.map((m) => m.ref) })),
    ...(extra.length ? [{ label: 'Named by the suite or typed', refs: extra }] : []),
  ];
  const all = groups.flatMap((g) => g.refs);
  const remotePicked = [...picked.filter((r) => !isLocal(modelRefOf(suite.spec, r))), ...(allowGraders ? remoteGraders : [])];
  const pairing = measurePolicy && policyCostRefusal === null;
  const unconfirmed = pairing && remotePicked.length > 0 && confirmedRemote !== remotePicked.join('\n');
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
    const input = { suiteId: suite.id, suiteVersion: suite.version, models: picked, repeat: Math.max(1, Math.round(num(repeat) ?? 1)), params, allowGraders: allowGraders ? remoteGraders : [], ...(c !== undefined ? { concurrency: Math.round(c) } : {}) };
    if (pairing) startPair.mutate(input, { onSuccess: (pair) => onStarted(pair.withPolicy) });
    else start.mutate(input, { onSuccess: (run) => onStarted(run) });
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
          {groups.map((g) => (
            <div key={g.label} role="group" aria-label={g.label}>
              <p className="evals-model-group">{g.label}</p>
              {g.refs.map((r) => (
                <ModelRow key={r} modelRef={r} destination={modelRefOf(suite.spec, r)} option={known.find((o) => o.ref === r)} checked={picked.includes(r)} onToggle={(on) => toggle(r, on)} />
              ))}
            </div>
          ))}
          <div className="evals-model-row">
            <label className="visually-hidden" htmlFor={`${id}-custom`}>
              Model ref
            </label>
            <input
              id={`${id}-custom`}
              className="input mono evals-grow"
              placeholder="local:/path/model.gguf, or provider:model"
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
        {remoteGraders.length > 0 && (
          <fieldset className="evals-models">
            <legend>Graders named by the suite</legend>
            <label className="evals-model-row">
              <input type="checkbox" checked={allowGraders} onChange={(e) => setAllowGraders(e.target.checked)} />
              <span className="evals-grow">Allow the suite's remote graders: they receive every prompt and answer they grade</span>
            </label>
            {remoteGraders.map((r) => (
              <div key={r} className="evals-model-row">
                <span className="mono evals-grow">{r}</span>
                <DestinationBadge modelRef={r} />
              </div>
            ))}
          </fieldset>
        )}
        <PolicyCostOption
          refusal={policyCostRefusal}
          measure={measurePolicy}
          onMeasure={setMeasurePolicy}
          remote={remotePicked}
          confirmed={!unconfirmed}
          onConfirm={(on) => setConfirmedRemote(on ? remotePicked.join('\n') : null)}
        />
        <div className="evals-grid3">
          <NumberField className="evals-field" label="Repeats" value={repeat} onChange={setRepeat} min="1" step="1" />
          <NumberField className="evals-field" label="Temperature" value={temperature} onChange={setTemperature} min="0" max="2" step="0.1" />
          <NumberField className="evals-field" label="Seed" value={seed} onChange={setSeed} min="0" step="1" />
          <NumberField className="evals-field" label="Max tokens" value={maxTokens} onChange={setMaxTokens} min="1" step="1" placeholder={defaultLabel(DEFAULT_MAX_TOKENS.evals)} />
          <NumberField className="evals-field" label="Concurrency" value={concurrency} onChange={setConcurrency} min="1" step="1" placeholder="auto" />
        </div>
        <p className="field-hint">Every model gets the same prompts and these same parameters.</p>
        <p className="field-hint" data-testid="seed-hint">
          {seedHint(num(seed), Math.max(1, Math.round(num(repeat) ?? 1)), num(temperature))}
        </p>
        {start.error && <ErrorBanner title="Could not start the run" error={start.error} />}
        {startPair.error && <ErrorBanner title="Could not start the runs" error={startPair.error} />}
        <div className="evals-savebar">
          <span className="evals-grow" />
          <Button onClick={() => ref.current?.close()}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={picked.length === 0 || unconfirmed} busy={start.isPending || startPair.isPending}>
            {pairing ? 'Start both runs' : 'Start run'}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

function ModelRow({ modelRef, destination, option, checked, onToggle }: { modelRef: string; destination: string; option: PickerModel | undefined; checked: boolean; onToggle: (on: boolean) => void }) {
  return (
    <label className="evals-model-row">
      <input type="checkbox" checked={checked} onChange={(e) => onToggle(e.target.checked)} />
      <span className="mono evals-grow">{option ? pickerLabel(option) : modelRef}</span>
      <DestinationBadge modelRef={destination} />
    </label>
  );
}
