import { useId } from 'react';

/**
 * A labelled number input whose value stays a string while typed (so "0." and "" survive).
 * Props: label, value, onChange(string), step, min?, max?, placeholder?, className? (the wrapper).
 * A placeholder naming the default ("default: 512") widens the field so it is readable whole.
 */
export function NumberField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  step: string;
  min?: string;
  max?: string;
  placeholder?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={props.className}>
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      <input
        id={id}
        className={props.placeholder?.startsWith('default:') ? 'input input--number input--named-default' : 'input input--number'}
        type="number"
        inputMode="decimal"
        step={props.step}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}
