import { useId, useState, type FormEvent } from 'react';
import type { ModelStorage } from '../../shared/contract';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useToast } from '../ui/Toast';
import { PickPathButton } from './PickPathButton';
import { useModelActions } from './useModels';

/** Import one file by path (copy or link) and scan a folder; the desktop app adds native Choose… dialogs. */
export function ImportPanel() {
  const { importModel, scan } = useModelActions();
  const toast = useToast();
  const pathId = useId();
  const folderId = useId();
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<ModelStorage>('copy');
  const [folder, setFolder] = useState('');

  const submitImport = (event: FormEvent) => {
    event.preventDefault();
    if (!path.trim()) return;
    importModel.mutate(
      { path: path.trim(), mode },
      {
        onSuccess: ({ model, alreadyPresent }) => {
          toast.show({ message: alreadyPresent ? `${model.name} is already in the library.` : `Imported ${model.name}.` });
          setPath('');
        },
      },
    );
  };

  const submitScan = (event: FormEvent) => {
    event.preventDefault();
    if (!folder.trim()) return;
    scan.mutate(
      { folder: folder.trim(), mode: 'link' },
      {
        onSuccess: (result) =>
          toast.show({
            message: `Scan: ${result.imported.length} imported, ${result.alreadyPresent.length} already present, ${result.skipped.length} skipped.`,
          }),
      },
    );
  };

  return (
    <div className="models-import">
      <form className="card models-form" onSubmit={submitImport} aria-label="Import a model">
        <label htmlFor={pathId} className="field-label">
          Model file path
        </label>
        <input
          id={pathId}
          className="input mono"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/path/to/model.gguf"
          spellCheck={false}
          autoComplete="off"
        />
        <PickPathButton label="Choose file…" request={{ kind: 'file', title: 'Import a GGUF model', extensions: ['gguf'] }} onPick={setPath} />
        <fieldset className="segmented">
          <legend>How to add it</legend>
          <label>
            <input type="radio" name="import-mode" value="copy" checked={mode === 'copy'} onChange={() => setMode('copy')} />
            Copy into the library
          </label>
          <label>
            <input type="radio" name="import-mode" value="link" checked={mode === 'link'} onChange={() => setMode('link')} />
            Link in place
          </label>
        </fieldset>
        <Button type="submit" variant="primary" busy={importModel.isPending} disabled={!path.trim()}>
          Import
        </Button>
        {importModel.error && <ErrorBanner title="Could not import the model" error={importModel.error} onDismiss={() => importModel.reset()} />}
      </form>

      <form className="card models-form" onSubmit={submitScan} aria-label="Scan a folder">
        <label htmlFor={folderId} className="field-label">
          Folder to scan
        </label>
        <input
          id={folderId}
          className="input mono"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="/path/to/models"
          spellCheck={false}
          autoComplete="off"
        />
        <PickPathButton label="Choose folder…" request={{ kind: 'folder', title: 'Scan a folder for GGUF models' }} onPick={setFolder} />
        <p className="field-hint">Every .gguf file in it (and its subfolders) is linked in place; nothing is copied.</p>
        <Button type="submit" busy={scan.isPending} disabled={!folder.trim()}>
          Scan folder
        </Button>
        {scan.error && <ErrorBanner title="Could not scan the folder" error={scan.error} onDismiss={() => scan.reset()} />}
        {scan.data && scan.data.skipped.length > 0 && (
          <ul className="models-skipped" aria-label="Skipped files">
            {scan.data.skipped.map((s) => (
              <li key={s.path}>
                <span className="mono">{s.path}</span>: {s.reason}
              </li>
            ))}
          </ul>
        )}
      </form>
    </div>
  );
}
