import { useId, useState } from 'react';
import type { Suite } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { CaseList } from './CaseList';
import { emptyDraft, newCase, toDraft, toSpec, type DraftCase, type SuiteDraft } from './suiteDraft';
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
      <CaseList
        cases={draft.cases}
        onChange={patchCase}
        onRemove={draft.cases.length > 1 ? (key) => patch({ cases: draft.cases.filter((x) => x.key !== key) }) : undefined}
      />
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
