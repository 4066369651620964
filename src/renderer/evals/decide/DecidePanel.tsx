import { useDeferredValue, useId, useState, type ReactNode } from 'react';
import type { Decision, RouteOutput } from '../../../shared/contract';
import { formatPassRate, formatUsd } from '../../../shared/format';
import { useClient } from '../../api/ClientContext';
import { call } from '../../api/client';
import { Button } from '../../ui/Button';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Spinner } from '../../ui/Spinner';
import { downloadText, readFileText } from '../download';
import { DecideChart } from './DecideChart';
import { HostedOptions } from './HostedOptions';
import { toDecideInput, useDecision, type DecideForm } from './useDecision';
import './decide.css';

const RULES: Array<{ value: DecideForm['rule']; label: string }> = [
  { value: 'cheapest-above-pass', label: 'Lowest cost per successful task above a minimum pass rate' },
  { value: 'best-pass-under-budget', label: 'Best pass rate under a monthly budget' },
  { value: 'fastest-under-both', label: 'Lowest p95 latency under both' },
];

function tasksText(v: number | null): string {
  return v === null ? '—' : `${Math.round(v).toLocaleString('en-US')}`;
}

/** A local cost is an estimate from Settings → Cost, and says so next to the number. */
function Cost({ value, estimate }: { value: number | null; estimate: boolean }) {
  return (
    <>
      {formatUsd(value)}
      {estimate && value !== null && (
        <span className="decide-est" title="Estimate from Settings → Cost">
          {' '}
          est.
        </span>
      )}
    </>
  );
}

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="decide-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}

/** The Decide view of a finished run: volume in, monthly cost per model, break-evens and a recommendation out. */
export function DecidePanel({ runId, form, onForm }: { runId: string; form: DecideForm; onForm: (next: DecideForm) => void }) {
  const deferred = useDeferredValue(form);
  const parsed = toDecideInput(runId, deferred);
  const decision = useDecision('input' in parsed ? parsed.input : null);
  const set = (patch: Partial<DecideForm>): void => onForm({ ...form, ...patch });
  const d = decision.data;
  return (
    <div className="decide">
      <div className="decide-form" role="group" aria-label="Volume and rule">
        <Field label="Volume per day">
          {(id) => <input id={id} className="input input--number" inputMode="numeric" value={form.amount} onChange={(e) => set({ amount: e.target.value })} />}
        </Field>
        <Field label="Unit">
          {(id) => (
            <select id={id} className="select" value={form.unit} onChange={(e) => set({ unit: e.target.value === 'tokens' ? 'tokens' : 'tasks' })}>
              <option value="tasks">tasks a day</option>
              <option value="tokens">tokens a day</option>
            </select>
          )}
        </Field>
        <Field label="Growth per month (%)">
          {(id) => <input id={id} className="input input--number" inputMode="decimal" value={form.growthPct} onChange={(e) => set({ growthPct: e.target.value })} />}
        </Field>
        <Field label="Peak factor">
          {(id) => <input id={id} className="input input--number" inputMode="decimal" placeholder={`default: ${d?.settings.peakFactor ?? 'Settings'}`} value={form.peakFactor} onChange={(e) => set({ peakFactor: e.target.value })} />}
        </Field>
        <Field label="Rule">
          {(id) => (
            <select id={id} className="select" value={form.rule} onChange={(e) => set({ rule: e.target.value as DecideForm['rule'] })}>
              {RULES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.rule !== 'best-pass-under-budget' && (
          <Field label="Minimum pass rate (%)">
            {(id) => <input id={id} className="input input--number" inputMode="decimal" value={form.minPassPct} onChange={(e) => set({ minPassPct: e.target.value })} />}
          </Field>
        )}
        {form.rule !== 'cheapest-above-pass' && (
          <Field label="Budget per month ($)">
            {(id) => <input id={id} className="input input--number" inputMode="decimal" value={form.budget} onChange={(e) => set({ budget: e.target.value })} />}
          </Field>
        )}
      </div>
      <HostedOptions locals={(d?.models ?? []).filter((m) => m.kind === 'local').map((m) => m.ref)} value={form.hosted} onChange={(hosted) => set({ hosted })} />
      {'error' in parsed && (
        <p className="field-error" role="alert">
          {parsed.error}
        </p>
      )}
      {decision.error && <ErrorBanner title="Could not evaluate" error={decision.error} />}
      {decision.isPending && 'input' in parsed && <Spinner label="Pricing the run…" showLabel />}
      {d && <DecisionView decision={d} />}
      {d && 'input' in parsed && <RecordActions runId={runId} input={parsed.input} />}
    </div>
  );
}

function DecisionView({ decision: d }: { decision: Decision }) {
  const rec = d.recommendation;
  const growth = d.monthlyGrowth > 0;
  return (
    <>
      <div className="decide-rec card" role="status" aria-label="Recommendation" data-testid="decide-recommendation">
        <p className="decide-winner">{rec.winner ? <>Recommended: <strong className="mono">{rec.winner}</strong></> : <strong>No model meets the rule</strong>}</p>
        <p className="field-hint">Rule: {rec.ruleText}.</p>
        <p>{rec.summary}</p>
        <ul>
          {rec.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </div>
      <p className="field-hint">
        At {tasksText(d.tasksPerDay)} tasks a day{d.volume.unit === 'tokens' && d.meanTokensPerTask !== null ? ` (${Math.round(d.meanTokensPerTask)} tokens per task)` : ''}. Local costs are estimates from Settings → Cost.
      </p>
      <div className="evals-table-scroll">
        <table className="data-table" aria-label="Cost per model">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">Pass rate</th>
              <th scope="col" className="num">Monthly cost</th>
              {growth && <th scope="col" className="num">In 12 months</th>}
              <th scope="col" className="num">Machines</th>
              <th scope="col" className="num">Per task</th>
              <th scope="col" className="num">Per successful task</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {d.models.map((m) => (
              <tr key={m.ref}>
                <th scope="row" className="mono">{m.ref}</th>
                <td>{m.kind === 'local' ? 'local' : m.kind === 'hosted' ? 'hosted open-weight' : 'API'}</td>
                <td className="num">{formatPassRate(m.passRate)}</td>
                <td className="num"><Cost value={m.monthlyCostUsd} estimate={m.estimate} /></td>
                {growth && <td className="num"><Cost value={m.monthlyCostIn12MonthsUsd} estimate={m.estimate} /></td>}
                <td className="num">{m.machines ?? '—'}</td>
                <td className="num"><Cost value={m.costPerTaskUsd} estimate={m.estimate} /></td>
                <td className="num"><Cost value={m.costPerSuccessUsd} estimate={m.estimate} /></td>
                <td className="field-hint">{m.unknownReason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d.breakEvens.length > 0 ? (
        <table className="data-table" aria-label="Break-even volumes">
          <thead>
            <tr>
              <th scope="col">Local</th>
              <th scope="col">Remote</th>
              <th scope="col" className="num">Break-even (tasks/day)</th>
              <th scope="col">In words</th>
            </tr>
          </thead>
          <tbody>
            {d.breakEvens.map((b) => (
              <tr key={`${b.local}|${b.remote}`}>
                <td className="mono">{b.local}</td>
                <td className="mono">{b.remote}</td>
                <td className="num">{b.firstTasksPerDay === null ? 'never' : tasksText(b.firstTasksPerDay)}</td>
                <td>{b.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="field-hint">Break-evens need a local and a remote model in the run.</p>
      )}
      <DecideChart decision={d} />
      <details>
        <summary>How these costs are computed</summary>
        <ul>
          {d.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      </details>
    </>
  );
}

type Imported = RouteOutput<'decide.importRecord'>;

function RecordActions({ runId, input }: { runId: string; input: NonNullable<Parameters<typeof useDecision>[0]> }) {
  const client = useClient();
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<Imported | null>(null);
  const questionId = useId();
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const file = await call(client, 'decide.record', { ...input, ...(question.trim() ? { question } : {}) });
      downloadText(file.filename, file.content, file.mimeType);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setError(null);
    try {
      setImported(await call(client, 'decide.importRecord', { content: await readFileText(file), runId }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="decide-record" aria-label="Decision record">
      <div className="decide-field decide-grow">
        <label className="field-label" htmlFor={questionId}>
          Question for the record
        </label>
        <input id={questionId} className="input" placeholder="Which model should run this suite at our volume?" value={question} onChange={(e) => setQuestion(e.target.value)} />
      </div>
      <Button variant="primary" busy={busy} onClick={() => void save()}>
        Save decision record
      </Button>
      <label className="btn">
        Open a record to compare…
        <input type="file" accept=".html,text/html" className="visually-hidden" onChange={(e) => void open(e.target.files?.[0])} />
      </label>
      {error != null && <ErrorBanner title="Decision record" error={error} />}
      {imported && (
        <div role="status" className="card decide-compare" data-testid="decide-imported">
          <p>
            Record of {new Date(imported.record.createdAt).toLocaleString()} (run of v{imported.record.decision.suiteVersion}): recommended{' '}
            <strong className="mono">{imported.record.decision.recommendation.winner ?? 'nothing'}</strong>. This run, under the same volume, rule and settings:{' '}
            <strong className="mono">{imported.later?.recommendation.winner ?? 'nothing'}</strong>.
          </p>
          <ul>
            {imported.record.decision.models.map((m) => {
              const now = imported.later?.models.find((x) => x.ref === m.ref);
              return (
                <li key={m.ref}>
                  <span className="mono">{m.ref}</span>: {formatPassRate(m.passRate)} → {now ? formatPassRate(now.passRate) : 'not in this run'}; {formatUsd(m.monthlyCostUsd)} → {now ? formatUsd(now.monthlyCostUsd) : '—'} a month
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </section>
  );
}
