import { useId, useState } from 'react';
import type { HostedOption } from '../../../shared/contract';
import { Button } from '../../ui/Button';

/**
 * "What if a host served this open model?": a local model of the run, a host name and its price
 * per million tokens become a hosted line priced with the run's own measurements. Nothing is sent.
 */
export function HostedOptions({ locals, value, onChange }: { locals: string[]; value: HostedOption[]; onChange: (next: HostedOption[]) => void }) {
  const id = useId();
  const [basedOn, setBasedOn] = useState('');
  const [host, setHost] = useState('');
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (locals.length === 0) return null;
  const add = (): void => {
    const inputPerMTok = Number(input);
    const outputPerMTok = Number(output);
    const model = basedOn || locals[0]!;
    if (!host.trim()) return setError('Name the host, e.g. together.');
    if (input.trim() === '' || output.trim() === '' || !(inputPerMTok >= 0) || !(outputPerMTok >= 0)) return setError('Enter the host’s input and output price per million tokens.');
    setError(null);
    onChange([...value.filter((h) => !(h.basedOn === model && h.host === host.trim())), { basedOn: model, host: host.trim(), inputPerMTok, outputPerMTok }]);
    setHost('');
  };
  return (
    <fieldset className="decide-hosted">
      <legend>Hosted open-weight option (what if a host served a local model?)</legend>
      <div className="decide-form">
        <div className="decide-field">
          <label className="field-label" htmlFor={`${id}-m`}>Local model</label>
          <select id={`${id}-m`} className="select" value={basedOn || locals[0]} onChange={(e) => setBasedOn(e.target.value)}>
            {locals.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="decide-field">
          <label className="field-label" htmlFor={`${id}-h`}>Host</label>
          <input id={`${id}-h`} className="input" placeholder="together" value={host} onChange={(e) => setHost(e.target.value)} />
        </div>
        <div className="decide-field">
          <label className="field-label" htmlFor={`${id}-i`}>Input $ per 1M tokens</label>
          <input id={`${id}-i`} className="input input--number" inputMode="decimal" value={input} onChange={(e) => setInput(e.target.value)} />
        </div>
        <div className="decide-field">
          <label className="field-label" htmlFor={`${id}-o`}>Output $ per 1M tokens</label>
          <input id={`${id}-o`} className="input input--number" inputMode="decimal" value={output} onChange={(e) => setOutput(e.target.value)} />
        </div>
        <Button onClick={add}>Add hosted option</Button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {value.length > 0 && (
        <ul aria-label="Hosted options">
          {value.map((h) => (
            <li key={`${h.basedOn}@${h.host}`}>
              <span className="mono">
                {h.basedOn} @ {h.host}
              </span>{' '}
              ${h.inputPerMTok} in / ${h.outputPerMTok} out per 1M tokens{' '}
              <Button size="sm" variant="ghost" aria-label={`Remove ${h.basedOn} @ ${h.host}`} onClick={() => onChange(value.filter((x) => x !== h))}>
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint">Priced with the local run’s tokens per task and pass rate (same weights); its latency is the host’s and is not shown.</p>
    </fieldset>
  );
}
