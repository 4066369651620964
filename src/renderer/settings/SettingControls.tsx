import { useId, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SettingKey, SettingValue, SettingsValues } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { errorMessage } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { useToast } from '../ui/Toast';
import { SETTINGS_QUERY_KEY, useSetSetting, useSetting } from './useSettings';

type KeysOfType<T> = { [K in SettingKey]: SettingValue<K> extends T ? K : never }[SettingKey];

/**
 * The shown value of a choice-like setting plus its setter. The choice shows in the same event
 * that made it: a controlled input that waits for the cache would snap back for a frame.
 */
function useSettingChoice<K extends SettingKey>(key: K) {
  const value = useSetting(key);
  const save = useSetSetting(key);
  const [pending, setPending] = useState<{ value: SettingValue<K> } | null>(null);
  const choose = (next: SettingValue<K>, onSaved?: () => void): void => {
    setPending({ value: next });
    save.mutate(next, { onSettled: () => setPending(null), onSuccess: () => onSaved?.() });
  };
  return { value: pending ? pending.value : value, choose, error: save.error ? errorMessage(save.error) : null };
}

const THEME_OPTIONS = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function ThemeSetting() {
  const { value: theme, choose, error } = useSettingChoice('theme');
  const legendId = useId();
  return (
    <div className="field">
      <span className="field-label" id={legendId}>
        Theme
      </span>
      <p className="field-hint">System follows your operating system’s light or dark appearance.</p>
      <div className="field-control">
        <div className="segmented" role="radiogroup" aria-labelledby={legendId}>
          {THEME_OPTIONS.map((option) => (
            <label key={option.value}>
              <input
                type="radio"
                name="theme"
                value={option.value}
                checked={theme === option.value}
                onChange={() => choose(option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export interface SwitchSettingProps {
  settingKey: KeysOfType<boolean>;
  label: string;
  hint: ReactNode;
  /** For consequential switches: after a save, a toast with this text and an Undo action. */
  confirm?: (checked: boolean) => string;
}

/** A boolean setting as a switch (a checkbox with role="switch"), saved on toggle. */
export function SwitchSetting({ settingKey, label, hint, confirm }: SwitchSettingProps) {
  const { value, choose, error } = useSettingChoice(settingKey);
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const toggle = (checked: boolean): void => {
    choose(checked, () => {
      if (!confirm) return;
      toast.show({
        message: confirm(checked),
        actionLabel: 'Undo',
        // Straight to the API: the toast can outlive this component (the user may have moved on).
        onAction: () => {
          call(client, 'settings.set', { key: settingKey, value: !checked }).then(
            (entry) => queryClient.setQueryData<SettingsValues>(SETTINGS_QUERY_KEY, (old) => (old ? { ...old, [entry.key]: entry.value } : old)),
            (undoError: unknown) => toast.show({ message: `Could not undo: ${errorMessage(undoError)}` }),
          );
        },
      });
    });
  };
  return (
    <Field label={label} hint={hint} error={error}>
      {(props) => (
        <input
          {...props}
          type="checkbox"
          role="switch"
          className="switch"
          checked={value === true}
          disabled={value === undefined}
          onChange={(event) => toggle(event.target.checked)}
        />
      )}
    </Field>
  );
}

/**
 * A setting typed into a field and saved when the field is committed (blur or Enter), not on
 * every keystroke, so "12" is not first saved as "1". Not optimistic: a rejected value stays in
 * the field, next to the router's message, to be fixed. A value changed elsewhere (another
 * window, the CLI) replaces the draft.
 */
function useDraftSetting<K extends SettingKey>(key: K) {
  const value = useSetting(key);
  const save = useSetSetting(key, { optimistic: false });
  const [draft, setDraft] = useState<string | null>(null);
  const [shownValue, setShownValue] = useState(value);

  if (shownValue !== value) {
    setShownValue(value);
    setDraft(null);
  }

  /** Saves `next` unless it is what is stored already (and nothing failed), then drops the draft. */
  const commitValue = (next: SettingValue<K>): void => {
    if (next === value && !save.error) {
      setDraft(null);
      return;
    }
    save.mutate(next, { onSuccess: () => setDraft(null) });
  };
  /** Escape: back to the stored value, the router's message gone. */
  const discard = (): void => {
    setDraft(null);
    save.reset();
  };
  return { value, draft, setDraft, commitValue, discard, saveError: save.error ? errorMessage(save.error) : null };
}

export interface NumberSettingProps {
  settingKey: KeysOfType<number>;
  label: string;
  hint: ReactNode;
  /** Shown after the input ("min", "MB"); also read as part of the description. */
  unit?: string;
  min?: number;
  max?: number;
  step?: number;
}

/**
 * A numeric setting, saved when committed (see useDraftSetting). Range checks are the router's:
 * its message is shown as is.
 */
export function NumberSetting({ settingKey, label, hint, unit, min, max, step = 1 }: NumberSettingProps) {
  const { value, draft, setDraft, commitValue, discard, saveError } = useDraftSetting(settingKey);
  const [localError, setLocalError] = useState<string | null>(null);

  const commit = (): void => {
    if (draft === null) return;
    const trimmed = draft.trim();
    if (trimmed === '' || !Number.isFinite(Number(trimmed))) {
      setLocalError(`Enter a number for ${label.toLowerCase()}.`);
      return;
    }
    setLocalError(null);
    commitValue(Number(trimmed));
  };

  const error = localError ?? saveError;
  return (
    <Field label={label} hint={hint} error={error}>
      {(props) => (
        <span className="input-with-unit">
          <input
            {...props}
            className="input input--number"
            type="number"
            inputMode={step < 1 ? 'decimal' : 'numeric'}
            min={min}
            max={max}
            step={step}
            value={draft ?? (value === undefined ? '' : String(value))}
            disabled={value === undefined}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={commit}
            onKeyDown={(event) => {
              if (event.key === 'Enter') commit();
              if (event.key === 'Escape') {
                setLocalError(null);
                discard();
              }
            }}
          />
          {/* Always present, so inputs with and without a unit line up. */}
          <span className="input-unit" aria-hidden="true">
            {unit}
          </span>
        </span>
      )}
    </Field>
  );
}

export interface TextSettingProps {
  settingKey: KeysOfType<string>;
  label: string;
  hint: ReactNode;
  placeholder?: string;
}

/** A text setting, saved when committed (see useDraftSetting); the router's message shows as is. */
export function TextSetting({ settingKey, label, hint, placeholder }: TextSettingProps) {
  const { value, draft, setDraft, commitValue, discard, saveError } = useDraftSetting(settingKey);

  const commit = (): void => {
    if (draft !== null) commitValue(draft.trim());
  };

  return (
    <Field label={label} hint={hint} error={saveError}>
      {(props) => (
        <input
          {...props}
          className="input mono"
          value={draft ?? value ?? ''}
          placeholder={placeholder}
          disabled={value === undefined}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={commit}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commit();
            if (event.key === 'Escape') discard();
          }}
        />
      )}
    </Field>
  );
}
