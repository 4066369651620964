import { useState } from 'react';
import type { PolicyView } from '../../../shared/contract';
import { BUILTIN_DETECTORS, detectorLabel, type DataPolicy } from '../../../shared/domain/dataPolicy';
import { Button } from '../../ui/Button';
import { ErrorBanner, errorMessage } from '../../ui/ErrorBanner';
import { Field } from '../../ui/Field';
import { Spinner } from '../../ui/Spinner';
import { usePolicy, usePolicyPreview, usePolicyReport, useSavePolicy } from './usePolicy';
import './policy.css';

const EXAMPLE = `# Per provider (openai, anthropic, google, compat:<endpoint>), per model or "*":
# allow | warn | redact | local | block for each detector.
providers:
  "*": { secret: block }
  openai: { email: redact, iban: block }
custom:
  client: { terms: [Acme Corp] }
routes:
  analyst: [anthropic:claude-sonnet-4-5, openai:gpt-4o-mini]
`;

/** Every target with a rule, and its detectors' actions, as a table a reviewer can read. */
function RulesTable({ policy }: { policy: DataPolicy }) {
  const targets = [...Object.entries(policy.providers), ...Object.entries(policy.models)];
  if (targets.length === 0) return <p className="field-hint">No rules: prompts go to remote models as written.</p>;
  const detectors = [...BUILTIN_DETECTORS, ...Object.keys(policy.custom)].filter((d) => targets.some(([, rules]) => rules[d]));
  return (
    <table className="policy-table" aria-label="Data policy rules">
      <thead>
        <tr>
          <th scope="col">Provider or model</th>
          {detectors.map((d) => (
            <th scope="col" key={d}>
              {detectorLabel(d)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {targets.map(([target, rules]) => (
          <tr key={target}>
            <th scope="row">{target === '*' ? 'every remote provider (*)' : target}</th>
            {detectors.map((d) => (
              <td key={d} className={rules[d] ? `policy-action policy-action--${rules[d]}` : undefined}>
                {rules[d] ?? '–'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Routes (`route:<name>`, tried in order) and spending limits, as the policy defines them. */
function RoutesAndBudgets({ policy }: { policy: DataPolicy }) {
  const routes = Object.entries(policy.routes);
  const budgets = Object.entries(policy.budgets);
  if (routes.length === 0 && budgets.length === 0) return null;
  return (
    <ul className="policy-routes" aria-label="Routes and budgets">
      {routes.map(([name, route]) => (
        <li key={`route-${name}`}>
          <code>route:{name}</code>: {route.models.join(' → ')}
          {route.retries > 0 && ` (${route.retries} ${route.retries === 1 ? 'retry' : 'retries'} per step)`}
        </li>
      ))}
      {budgets.map(([endpoint, b]) => (
        <li key={`budget-${endpoint}`}>
          Budget <code>{endpoint}</code>: {[b.dailyUsd !== undefined ? `$${b.dailyUsd} a day` : null, b.monthlyUsd !== undefined ? `$${b.monthlyUsd} a month` : null].filter(Boolean).join(', ')} (then routes skip it)
        </li>
      ))}
    </ul>
  );
}

function Editor({ view }: { view: PolicyView }) {
  const save = useSavePolicy();
  // null while not editing: the text shown is then the stored one, so a save elsewhere shows up.
  const [edit, setEdit] = useState<string | null>(null);
  const dirty = edit !== null;
  const draft = edit ?? view.yaml ?? '';
  return (
    <>
      <Field
        label="Policy (YAML)"
        layout="stacked"
        hint={`Kept as written in ${view.path ?? 'the data folder'}; the same format as a --policy file.`}
        error={save.error ? errorMessage(save.error) : null}
      >
        {(props) => (
          <textarea
            {...props}
            className="input policy-yaml"
            rows={12}
            spellCheck={false}
            value={draft}
            placeholder={EXAMPLE}
            onChange={(e) => setEdit(e.target.value)}
          />
        )}
      </Field>
      <div className="policy-actions">
        <Button variant="primary" busy={save.isPending} disabled={!dirty} onClick={() => save.mutate(draft, { onSuccess: () => setEdit(null) })}>
          Save policy
        </Button>
        <Button variant="ghost" disabled={!dirty} onClick={() => (setEdit(null), save.reset())}>
          Discard changes
        </Button>
        {save.isSuccess && !dirty && <span role="status">Saved: it applies to the next request.</span>}
      </div>
      <TryIt draft={dirty ? draft : undefined} />
    </>
  );
}

/** What one message would become for one model: placeholders, a refusal, or unchanged. */
function TryIt({ draft }: { draft: string | undefined }) {
  const preview = usePolicyPreview();
  const [ref, setRef] = useState('openai:gpt-4o-mini');
  const [text, setText] = useState('');
  const result = preview.data;
  return (
    <div className="policy-try">
      <h3 className="policy-subtitle">Try a message</h3>
      <Field label="Model" hint="provider:model, e.g. openai:gpt-4o-mini or compat:groq/llama-3.1-8b-instant">
        {(props) => <input {...props} className="input" value={ref} onChange={(e) => setRef(e.target.value)} />}
      </Field>
      <Field label="Message" layout="stacked" error={preview.error ? errorMessage(preview.error) : null}>
        {(props) => <textarea {...props} className="input" rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <Button busy={preview.isPending} disabled={!text.trim()} onClick={() => preview.mutate({ ref, text, yaml: draft })}>
        {draft === undefined ? 'Check' : 'Check with unsaved changes'}
      </Button>
      {result && (
        <div className="policy-result" role="status">
          <p>
            <strong>{result.outcome === 'clear' ? 'Sent as written' : result.outcome === 'blocked' ? 'Refused' : result.outcome === 'redacted' ? 'Sent redacted' : 'Sent, with a warning on the record'}</strong>
            {result.findings.length > 0 && `: ${result.findings.map((f) => `${f.count} ${detectorLabel(f.detector)} (${f.action})`).join(', ')}`}
          </p>
          {result.refusal && <p>{result.refusal}</p>}
          {result.sent !== null && result.outcome !== 'clear' && <pre className="policy-sent">{result.sent}</pre>}
        </div>
      )}
    </div>
  );
}

function Report() {
  const report = usePolicyReport(30);
  if (report.isPending) return <Spinner label="Counting…" showLabel />;
  if (report.error) return <ErrorBanner title="Could not count the policy decisions" error={report.error} onRetry={() => void report.refetch()} />;
  const rows = [...report.data.providers, report.data.total];
  return (
    <table className="policy-table" aria-label="Policy report, last 30 days">
      <caption className="field-hint">Last 30 days, from the audit log</caption>
      <thead>
        <tr>
          {['Provider', 'Sent', 'Redacted', 'Warned', 'Blocked', 'Rerouted'].map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.provider}>
            <th scope="row">{r.provider}</th>
            <td>{r.sent}</td>
            <td>{r.redacted}</td>
            <td>{r.warned}</td>
            <td>{r.blocked}</td>
            <td>{r.rerouted}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Settings → Data policy: what may leave the device for which provider, edited as YAML (the
 * format of a --policy file), with the rules as a table, a "try a message" check and the counts
 * of the last 30 days. A --policy file in force is shown read-only.
 */
export function DataPolicySettings() {
  const policy = usePolicy();
  if (policy.isPending) return <Spinner label="Loading the data policy…" showLabel />;
  if (policy.error) return <ErrorBanner title="Could not load the data policy" error={policy.error} onRetry={() => void policy.refetch()} />;
  const view = policy.data;
  return (
    <div className="card" data-testid="data-policy">
      {view.source === 'file' ? (
        <p className="field-hint">
          The policy comes from <code>{view.path}</code> (<code>--policy</code> or <code>PARITY_POLICY_FILE</code>). Edit that file to change it.
        </p>
      ) : (
        view.error && <ErrorBanner title="The stored policy does not load: remote requests are refused until it is fixed" error={new Error(view.error)} />
      )}
      <RulesTable policy={view.policy} />
      <RoutesAndBudgets policy={view.policy} />
      {view.source === 'stored' ? <Editor view={view} /> : <TryIt draft={undefined} />}
      <h3 className="policy-subtitle">What happened</h3>
      <Report />
    </div>
  );
}
