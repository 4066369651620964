import { useState } from 'react';
import type { Conversation, ConversationParams } from '../../shared/contract';
import { CHAT_FALLBACK_TEMPERATURE, DEFAULT_MAX_TOKENS, defaultLabel } from '../../shared/domain/generationDefaults';
import { Button } from '../ui/Button';
import { grammarUnenforcedKeywords } from '../../shared/domain/structured';
import { structuredFromDraft, structuredToDraft, type StructuredDraft } from './structuredDraft';

/** What a local model's grammar will not hold the answer to, said while the schema is written. */
function UnenforcedHint({ schemaText }: { schemaText: string }) {
  let keywords: string[] = [];
  try {
    keywords = grammarUnenforcedKeywords(JSON.parse(schemaText));
  } catch {
    return null;
  }
  if (keywords.length === 0) return null;
  return <span className="field-hint">Local models: the grammar does not enforce {keywords.join(', ')}; answers parse but may not follow them.</span>;
}

export interface ParamsPanelProps {
  conversation: Conversation;
  /** Resolves once the settings are stored; rejects when they were not (the pane shows why). */
  onSave: (patch: { systemPrompt: string; params: ConversationParams }) => Promise<unknown>;
  saving: boolean;
}

const NUMBER_FIELDS: Array<{ key: keyof ConversationParams; label: string; step: number; integer: boolean; placeholder?: string; title?: string }> = [
  {
    key: 'temperature',
    label: 'Temperature',
    step: 0.05,
    integer: false,
    placeholder: `default: ${CHAT_FALLBACK_TEMPERATURE}`,
    title: `Blank: the sampling the model file recommends, if it names one, else ${CHAT_FALLBACK_TEMPERATURE}. 0 always gives the same answer.`,
  },
  { key: 'topP', label: 'Top-p', step: 0.01, integer: false },
  { key: 'topK', label: 'Top-k', step: 1, integer: true },
  { key: 'minP', label: 'Min-p', step: 0.01, integer: false },
  { key: 'repeatPenalty', label: 'Repeat penalty', step: 0.05, integer: false },
  { key: 'maxTokens', label: 'Max tokens', step: 1, integer: true, placeholder: defaultLabel(DEFAULT_MAX_TOKENS.chat) },
  { key: 'contextSize', label: 'Context size', step: 256, integer: true },
  { key: 'seed', label: 'Seed', step: 1, integer: true, placeholder: 'default: random', title: 'Blank: a new seed for every answer (saved with it), so Regenerate gives a different one.' },
  { key: 'threads', label: 'Threads', step: 1, integer: true },
];

type Draft = Record<string, string>;

function toDraft(c: Conversation): Draft {
  const d: Draft = { systemPrompt: c.systemPrompt, chatTemplate: c.params.chatTemplate ?? 'auto', gpuLayers: String(c.params.gpuLayers ?? 'auto') };
  for (const f of NUMBER_FIELDS) d[f.key] = c.params[f.key] === undefined ? '' : String(c.params[f.key]);
  return d;
}

/** System prompt and per-conversation parameters; blank means the default its placeholder names. */
export function ParamsPanel({ conversation, onSave, saving }: ParamsPanelProps) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(conversation));
  // "Saved" stands for the values shown: any edit after a save takes it away again.
  const [saved, setSaved] = useState(false);
  const [structured, setStructured] = useState<StructuredDraft>(() => structuredToDraft(conversation.params));
  const [structuredError, setStructuredError] = useState<string | null>(null);
  const setS = (patch: Partial<StructuredDraft>) => {
    setSaved(false);
    setStructuredError(null);
    setStructured((d) => ({ ...d, ...patch }));
  };
  const set = (key: string, value: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const save = () => {
    const params: Record<string, unknown> = {};
    for (const f of NUMBER_FIELDS) {
      const raw = draft[f.key]?.trim();
      if (raw) params[f.key] = f.integer ? Math.round(Number(raw)) : Number(raw);
    }
    if (draft.chatTemplate && draft.chatTemplate !== 'auto') params.chatTemplate = draft.chatTemplate;
    const gpu = draft.gpuLayers?.trim();
    if (gpu && gpu !== 'auto') params.gpuLayers = gpu === 'max' ? 'max' : Math.max(0, Math.round(Number(gpu)));
    const fields = structuredFromDraft(structured);
    if (!fields.ok) {
      setStructuredError(fields.message);
      return;
    }
    Object.assign(params, fields.params);
    onSave({ systemPrompt: draft.systemPrompt ?? '', params: params as ConversationParams }).then(
      () => setSaved(true),
      // The pane's error banner says what went wrong; nothing here claims it was saved.
      () => setSaved(false),
    );
  };
  return (
    <form
      className="chat-params"
      aria-label="Conversation settings"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <label className="chat-params-wide">
        <span>System prompt</span>
        <textarea className="textarea" rows={3} value={draft.systemPrompt} onChange={(e) => set('systemPrompt', e.target.value)} />
      </label>
      {NUMBER_FIELDS.map((f) => (
        <label key={f.key}>
          <span>{f.label}</span>
          <input className={f.placeholder ? 'input input--number input--named-default' : 'input input--number'} type="number" step={f.step} placeholder={f.placeholder ?? 'default'} title={f.title} value={draft[f.key]} onChange={(e) => set(f.key, e.target.value)} />
        </label>
      ))}
      <label>
        <span>GPU layers</span>
        <input className="input" placeholder="auto" value={draft.gpuLayers} onChange={(e) => set('gpuLayers', e.target.value)} />
      </label>
      <label>
        <span>Chat template</span>
        <select className="select" value={draft.chatTemplate} onChange={(e) => set('chatTemplate', e.target.value)}>
          {['auto', 'chatml', 'llama2', 'llama3', 'llama3.1', 'general', 'mistral', 'gemma', 'qwen', 'deepseek', 'alpaca', 'falcon'].map((t) => (
            <option key={t} value={t}>
              {t === 'auto' ? 'From the model file' : t}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Answer format</span>
        <select className="select" value={structured.responseFormat} onChange={(e) => setS({ responseFormat: e.target.value as StructuredDraft['responseFormat'] })}>
          <option value="text">Text</option>
          <option value="json">JSON object</option>
          <option value="schema">JSON following a schema</option>
        </select>
      </label>
      <label>
        <span>Tool choice</span>
        <input className="input" placeholder="auto" title="auto, none, required, or the name of one tool" value={structured.toolChoice} onChange={(e) => setS({ toolChoice: e.target.value })} />
      </label>
      {structured.responseFormat === 'schema' && (
        <label className="chat-params-wide">
          <span>JSON Schema (local models follow it by grammar)</span>
          <textarea className="textarea mono" rows={5} value={structured.jsonSchema} onChange={(e) => setS({ jsonSchema: e.target.value })} />
          <UnenforcedHint schemaText={structured.jsonSchema} />
        </label>
      )}
      <label className="chat-params-wide">
        <span>Tools (JSON list of {'{name, description, parameters, mockResults}'}; never run: you give the results)</span>
        <textarea className="textarea mono" rows={4} placeholder="[]" value={structured.tools} onChange={(e) => setS({ tools: e.target.value })} />
      </label>
      {structuredError && (
        <p className="chat-params-wide chat-status" role="alert">
          {structuredError}
        </p>
      )}
      <div className="chat-params-wide">
        <Button type="submit" variant="primary" size="sm" busy={saving}>
          Save settings
        </Button>
        {' '}
        <span className="field-hint" role="status">
          {saved && !saving ? 'Saved: the next answer uses these settings.' : ''}
        </span>
      </div>
    </form>
  );
}
