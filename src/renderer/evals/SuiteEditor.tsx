import { useId, useState } from 'react';
import type { AssertionType, Suite } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { ASSERTION_TYPES, VALUE_HINTS, emptyDraft, newAssertion, newCase, toDraft, toSpec, type DraftAssertion, type DraftCase, type SuiteDraft } from './suiteDraft';
import { useEvalsMutation } from './useEvals';

export interface SuiteEditorProps {
  /** The version being edited; null for a new suite. */
  suite: Suite | null;
  onSaved: (suite: Suite) => void;
}

/** Edits a suite as a whole; saving creates a new immutable version (history is never rewritten). */
export function SuiteEditor({ suite, onSaved }: SuiteEditorProps) {
  const [draft, setDraft] = useState<SuiteDraft>(() => (suite ? toDraft(suite.spec) : emptyDraft()));
  const [message, setMessage] = useState('');
  const create = useEvalsMutation('evals.suites.create');
  const save = useEvalsMutation('evals.suites.save');
  const id = useId();
  const error = create.error ?? save.error;
  const busy = create.isPending || save.isPending;

  const patch = (p: Partial<SuiteDraft>): void => setDraft((d) => ({ ...d, ...p }));
  const patchCase = (key: number, p: Partial<DraftCase>): void => setDraft((d) => ({ ...d, cases: d.cases.map((c) => (c.key === key ? { ...c, ...p } : c)) }));

  const submit = async (): Promise<void> => {
    const spec = toSpec(draft);
    const note = message.trim() || undefined;
    const saved = suite
      ? await save.mutateAsync({ id: suite.id, spec, message: note, baseVersion: suite.latestVersion })
      : await create.mutateAsync({ spec, message: note });
    setMessage('');
    onSaved(saved);
  };

  const extraPrompts = draft.rest.prompts.length - 1;
  return (
    <form
      className="evals-editor"
      aria-label="Suite editor"
      onSubmit={(e) => {
        e.preventDefault();
        void submit().catch(() => undefined);
      }}
    >
      <div className="evals-grid2">
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Suite name
          </label>
          <input id={`${id}-name`} className="input" value={draft.name} onChange={(e) => patch({ name: e.target.value })} required />
        </div>
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-desc`}>
            Description
          </label>
          <input id={`${id}-desc`} className="input" value={draft.description} onChange={(e) => patch({ description: e.target.value })} />
        </div>
      </div>
      {suite?.spec.imported && suite.spec.imported.warnings.length > 0 && (
        <div className="field-hint" role="note" aria-label="Not honoured from the imported file">
          Not honoured from the imported file (skipped or ignored, nothing else changed):
          <ul>
            {suite.spec.imported.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="evals-field">
        <label className="field-label" htmlFor={`${id}-system`}>
          System prompt
        </label>
        <textarea id={`${id}-system`} className="textarea" rows={2} value={draft.system} onChange={(e) => patch({ system: e.target.value })} />
      </div>
      <div className="evals-field">
        <label className="field-label" htmlFor={`${id}-template`}>
          Prompt template
        </label>
        <textarea
          id={`${id}-template`}
          className="textarea mono"
          rows={3}
          value={draft.template}
          onChange={(e) => patch({ template: e.target.value })}
          aria-describedby={`${id}-template-hint`}
        />
        <p className="field-hint" id={`${id}-template-hint`}>
          Use {'{{name}}'} for variables (a Nunjucks template, as in promptfoo: filters, loops, conditions); each case sets them.{extraPrompts > 0 ? ` ${extraPrompts} more prompt(s) from the import are kept as they are.` : ''}
        </p>
      </div>

      <h3 className="evals-subtitle">Cases ({draft.cases.length})</h3>
      <ol className="evals-cases">
        {draft.cases.map((c, index) => (
          <CaseEditor
            key={c.key}
            index={index}
            value={c}
            onChange={(p) => patchCase(c.key, p)}
            onRemove={draft.cases.length > 1 ? () => patch({ cases: draft.cases.filter((x) => x.key !== c.key) }) : undefined}
          />
        ))}
      </ol>
      <Button onClick={() => patch({ cases: [...draft.cases, newCase(draft.cases)] })}>Add case</Button>

      {error && <ErrorBanner title="Could not save the suite" error={error} />}
      <div className="evals-savebar">
        <label className="field-label" htmlFor={`${id}-message`}>
          Change note
        </label>
        <input id={`${id}-message`} className="input evals-grow" value={message} placeholder="What changed (optional)" onChange={(e) => setMessage(e.target.value)} />
        <Button type="submit" variant="primary" busy={busy}>
          {suite ? 'Save new version' : 'Create suite'}
        </Button>
      </div>
    </form>
  );
}

function CaseEditor({ index, value, onChange, onRemove }: { index: number; value: DraftCase; onChange: (p: Partial<DraftCase>) => void; onRemove?: () => void }) {
  const id = useId();
  const setAssertion = (key: number, p: Partial<DraftAssertion>): void => onChange({ assert: value.assert.map((a) => (a.key === key ? { ...a, ...p } : a)) });
  return (
    <li className="evals-case card">
      <fieldset>
        <legend>
          Case {index + 1}: {value.id || 'unnamed'}
        </legend>
        <div className="evals-grid2">
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-id`}>
              Case id
            </label>
            <input id={`${id}-id`} className="input mono" value={value.id} onChange={(e) => onChange({ id: e.target.value })} />
          </div>
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-d`}>
              Case description
            </label>
            <input id={`${id}-d`} className="input" value={value.description} onChange={(e) => onChange({ description: e.target.value })} />
          </div>
        </div>
        <div className="evals-grid2">
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-vars`}>
              Variables
            </label>
            <textarea
              id={`${id}-vars`}
              className="textarea mono"
              rows={2}
              placeholder="name=value, one per line"
              value={value.vars}
              onChange={(e) => onChange({ vars: e.target.value })}
            />
          </div>
          <div className="evals-field">
            <label className="field-label" htmlFor={`${id}-exp`}>
              Expected output
            </label>
            <textarea id={`${id}-exp`} className="textarea" rows={2} value={value.expected} onChange={(e) => onChange({ expected: e.target.value })} />
          </div>
        </div>
        <div className="evals-assertions" role="group" aria-label={`Assertions of case ${index + 1}`}>
          {value.assert.map((a, ai) => (
            <div className="evals-assertion" key={a.key}>
              <label className="visually-hidden" htmlFor={`${id}-t${a.key}`}>
                Assertion {ai + 1} type
              </label>
              <select id={`${id}-t${a.key}`} className="select" value={a.type} onChange={(e) => setAssertion(a.key, { type: e.target.value as AssertionType })}>
                {ASSERTION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              <label className="evals-not">
                <input type="checkbox" checked={a.negated} onChange={(e) => setAssertion(a.key, { negated: e.target.checked })} /> not
              </label>
              <label className="visually-hidden" htmlFor={`${id}-v${a.key}`}>
                Assertion {ai + 1} value
              </label>
              <input
                id={`${id}-v${a.key}`}
                className="input evals-grow"
                value={a.value}
                placeholder={VALUE_HINTS[a.type] ?? 'value'}
                disabled={a.type === 'is-json' || a.type === 'is-refusal'}
                onChange={(e) => setAssertion(a.key, { value: e.target.value })}
              />
              <label className="visually-hidden" htmlFor={`${id}-w${a.key}`}>
                Assertion {ai + 1} weight
              </label>
              <input
                id={`${id}-w${a.key}`}
                className="input input--number evals-weight"
                type="number"
                min="0"
                step="0.5"
                placeholder="weight"
                value={a.weight}
                onChange={(e) => setAssertion(a.key, { weight: e.target.value })}
              />
              <Button size="sm" variant="ghost" aria-label={`Remove assertion ${ai + 1}`} onClick={() => onChange({ assert: value.assert.filter((x) => x.key !== a.key) })}>
                ✕
              </Button>
            </div>
          ))}
          <Button size="sm" onClick={() => onChange({ assert: [...value.assert, newAssertion()] })}>
            Add assertion
          </Button>
        </div>
        {onRemove && (
          <Button size="sm" variant="danger" className="evals-remove-case" onClick={onRemove}>
            Remove case {index + 1}
          </Button>
        )}
      </fieldset>
    </li>
  );
}
