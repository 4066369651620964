import { useState } from 'react';
import type { ProvidersList } from '../../shared/contract';
import { Button } from '../ui/Button';
import { errorMessage } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { useProviderMutation } from './useProviders';

/** Adds an OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama, LM Studio, Groq, ...), from a preset or by hand. */
export function AddEndpointForm({ presets }: { presets: ProvidersList['presets'] }) {
  const [preset, setPreset] = useState('');
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [models, setModels] = useState('');
  const [key, setKey] = useState('');
  const add = useProviderMutation('providers.addEndpoint');
  const choose = (id: string): void => {
    setPreset(id);
    const p = presets.find((x) => x.id === id);
    if (p) {
      setName(p.id);
      setBaseUrl(p.baseUrl);
    }
  };
  return (
    <form
      className="card provider-add"
      aria-label="Add an OpenAI-compatible endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          {
            name: name.trim(),
            baseUrl: baseUrl.trim(),
            models: models.split(',').map((m) => m.trim()).filter(Boolean),
            preset: preset || null,
            ...(key.trim() ? { key: key.trim() } : {}),
          },
          {
            onSuccess: () => {
              setName('');
              setBaseUrl('');
              setModels('');
              setKey('');
              setPreset('');
            },
            onSettled: () => setKey(''),
          },
        );
      }}
    >
      <h3 className="provider-card-title">Add an OpenAI-compatible endpoint</h3>
      <Field label="Preset">
        {(props) => (
          <select {...props} className="select" value={preset} onChange={(e) => choose(e.target.value)}>
            <option value="">Custom</option>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label} ({p.baseUrl})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name" hint="Used in model ids: compat:<name>/<model>">
        {(props) => <input {...props} className="input" value={name} onChange={(e) => setName(e.target.value)} required pattern="[a-z0-9][a-z0-9._\-]{0,39}" />}
      </Field>
      <Field label="Base URL">
        {(props) => <input {...props} className="input" type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required placeholder="http://host:port/v1" />}
      </Field>
      <Field label="Models" hint="Comma-separated model ids this server offers">
        {(props) => <input {...props} className="input" value={models} onChange={(e) => setModels(e.target.value)} />}
      </Field>
      <Field label="API key (optional)">
        {(props) => <input {...props} className="input" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />}
      </Field>
      <Button type="submit" variant="primary" busy={add.isPending} disabled={!name || !baseUrl}>
        Add endpoint
      </Button>
      {add.error && (
        <p className="field-error" role="alert">
          {errorMessage(add.error)}
        </p>
      )}
    </form>
  );
}
