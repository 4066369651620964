import { useId, useState } from 'react';
import type { Suite, SuiteFormat } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { PickPathButton } from '../models/PickPathButton';
import { readFileText } from './download';
import { useEvalsMutation } from './useEvals';

function formatOf(name: string): SuiteFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return null;
}

/** Import a promptfoo YAML, CSV or JSONL suite by pasting it or choosing a file (read here, sent as text). */
export function ImportPanel({ suiteId, onImported, onCancel }: { suiteId?: string; onImported: (suite: Suite) => void; onCancel: () => void }) {
  const id = useId();
  const [format, setFormat] = useState<SuiteFormat>('yaml');
  const [content, setContent] = useState('');
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  // A promptfoo config that names files (file://prompts.txt) needs the folder they are in.
  const needsFolder = format === 'yaml' && content.includes('file://');
  const [readError, setReadError] = useState<unknown>(null);
  const mutation = useEvalsMutation('evals.suites.import');

  const choose = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setReadError(null);
    try {
      setContent(await readFileText(file));
      const f = formatOf(file.name);
      if (f) setFormat(f);
      if (!name) setName(file.name.replace(/\.[^.]+$/, ''));
    } catch (error) {
      setReadError(error);
    }
  };

  return (
    <form
      className="card evals-import"
      aria-label="Import suite"
      onSubmit={(e) => {
        e.preventDefault();
        mutation.mutate(
          { format, content, ...(name.trim() ? { name: name.trim() } : {}), ...(suiteId ? { suiteId } : {}), ...(needsFolder && folder.trim() ? { folder: folder.trim() } : {}) },
          { onSuccess: (suite) => onImported(suite) },
        );
      }}
    >
      <h2>{suiteId ? 'Import as a new version' : 'Import a suite'}</h2>
      <div className="evals-grid3">
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-file`}>
            File
          </label>
          <input id={`${id}-file`} type="file" accept=".yaml,.yml,.csv,.jsonl,.ndjson,text/*" onChange={(e) => void choose(e.target.files?.[0])} />
        </div>
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-format`}>
            Format
          </label>
          <select id={`${id}-format`} className="select" value={format} onChange={(e) => setFormat(e.target.value as SuiteFormat)}>
            <option value="yaml">YAML (promptfoo)</option>
            <option value="csv">CSV (promptfoo columns)</option>
            <option value="jsonl">JSONL (one case a line)</option>
          </select>
        </div>
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Name (optional)
          </label>
          <input id={`${id}-name`} className="input" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <div className="evals-field">
        <label className="field-label" htmlFor={`${id}-content`}>
          Suite content
        </label>
        <textarea
          id={`${id}-content`}
          className="textarea mono"
          rows={10}
          value={content}
          placeholder={'prompts:\n  - "Answer briefly: {{question}}"\ntests:\n  - vars: { question: "2+2?" }\n    assert:\n      - type: contains\n        value: "4"'}
          onChange={(e) => setContent(e.target.value)}
        />
      </div>
      {needsFolder && (
        <div className="evals-field">
          <label className="field-label" htmlFor={`${id}-folder`}>
            Folder of the config (its file:// references are read from here)
          </label>
          <div className="evals-savebar">
            <input id={`${id}-folder`} className="input mono evals-grow" value={folder} placeholder="/path/to/promptfoo-suite" onChange={(e) => setFolder(e.target.value)} />
            <PickPathButton request={{ kind: 'folder', title: 'Folder of the promptfoo config' }} label="Choose…" onPick={setFolder} />
          </div>
        </div>
      )}
      {readError != null && <ErrorBanner title="Could not read the file" error={readError} />}
      {mutation.error && <ErrorBanner title="Import failed — nothing was imported" error={mutation.error} />}
      <div className="evals-savebar">
        <span className="evals-grow" />
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={content.trim() === ''} busy={mutation.isPending}>
          Import
        </Button>
      </div>
    </form>
  );
}
