/**
 * Field: a labelled form row (label, optional hint, optional error) around one control.
 *
 * Props:
 *   label: ReactNode — the control's accessible name (a real `<label for>`).
 *   hint?: ReactNode — help text, linked with aria-describedby.
 *   error?: string | null — shown in red, linked with aria-describedby, sets aria-invalid.
 *   layout?: 'inline' (default: label left, control right) | 'stacked' (control under the label).
 *   children: (control: FieldControlProps) => ReactNode — spread the props onto your input.
 *
 *   <Field label="Threads" hint="CPU threads per model" error={error}>
 *     {(props) => <input {...props} className="input input--number" type="number" />}
 *   </Field>
 *
 * For a group of radios use a `<fieldset>` with a `<legend>` instead (see settings/ThemeSetting).
 */
import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  layout?: 'inline' | 'stacked';
  children: (control: FieldControlProps) => ReactNode;
}

export function Field({ label, hint, error, layout = 'inline', children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={layout === 'stacked' ? 'field field--stacked' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <div className="field-control">{children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}</div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
