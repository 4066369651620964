import { useId } from 'react';
import './policyCost.css';

export interface PolicyCostOptionProps {
  /** Why the option is off limits (no policy, no evalBypass), null when it is offered, undefined while loading. */
  refusal: string | null | undefined;
  measure: boolean;
  onMeasure: (on: boolean) => void;
  /** The chosen models (and allowed graders) that are not on this device: they get the unredacted data. */
  remote: string[];
  confirmed: boolean;
  onConfirm: (on: boolean) => void;
}

/**
 * The run dialog's "measure the policy's cost": a second run without the data policy sends the
 * very values the policy keeps back, so it is off unless the policy allows it, and a remote model
 * in the run needs its own explicit confirmation.
 */
export function PolicyCostOption({ refusal, measure, onMeasure, remote, confirmed, onConfirm }: PolicyCostOptionProps) {
  const id = useId();
  const available = refusal === null;
  return (
    <fieldset className="evals-models">
      <legend>Data policy</legend>
      <label className="evals-model-row">
        <input type="checkbox" checked={measure && available} disabled={!available} aria-describedby={`${id}-why`} onChange={(e) => onMeasure(e.target.checked)} />
        <span className="evals-grow">Measure the policy's cost (runs every cell twice: with and without the policy)</span>
      </label>
      <p id={`${id}-why`} className="field-hint">
        {refusal === undefined
          ? 'Reading the data policy…'
          : (refusal ?? 'Pass rates under the policy and without it are shown side by side in the run, so you see what keeping data local costs in quality.')}
      </p>
      {measure && available && (
        <div className="policy-cost-warning" role="note">
          <p>
            <strong>The second run sends the data unredacted.</strong> Without the policy, each prompt goes to the remote models as written: whatever the policy would redact or
            block (e-mail addresses, account numbers, keys, client names) leaves this device. Every request is recorded in the audit log.
          </p>
          {remote.length === 0 ? (
            <p className="field-hint">Every chosen model runs on this device, where the policy does not apply: both runs will score the same.</p>
          ) : (
            <label className="evals-model-row">
              <input type="checkbox" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} />
              <span className="evals-grow">I understand: the run without the policy sends the unredacted data to {remote.join(', ')}</span>
            </label>
          )}
        </div>
      )}
    </fieldset>
  );
}
