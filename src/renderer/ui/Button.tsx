/**
 * Button: a native `<button>` with the house look.
 *
 * Props: every native button prop, plus
 *   variant?: 'secondary' (default) | 'primary' | 'ghost' | 'danger'
 *   size?: 'md' (default) | 'sm'
 *   busy?: boolean — shows a spinner, sets aria-busy and disables the button while work runs.
 * `type` defaults to "button" so a button inside a form never submits it by accident.
 *
 *   <Button variant="primary" onClick={start} busy={mutation.isPending}>Run</Button>
 */
import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'md' | 'sm';
  busy?: boolean;
}

export function Button({ variant = 'secondary', size = 'md', busy = false, className, type = 'button', disabled, children, ...rest }: ButtonProps) {
  const classes = ['btn', variant !== 'secondary' && `btn--${variant}`, size === 'sm' && 'btn--sm', className].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type} className={classes} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy && <span className="spinner-ring" aria-hidden="true" />}
      {children}
    </button>
  );
}
