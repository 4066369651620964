import type { RunCard } from '../../shared/contract';
import { formatSeeds, STATS_UNIT } from '../../shared/domain/evals';

/** What is needed to reproduce and audit a run: versions, exact models and parameters, exact prompts. */
export function RunCardView({ card }: { card: RunCard }) {
  return (
    <div className="card evals-runcard">
      <dl className="kv">
        <dt>Parity</dt>
        <dd>{card.appVersion}</dd>
        <dt>Suite</dt>
        <dd>
          {card.suiteName} v{card.suiteVersion} <span className="mono field-hint">{card.suiteId}</span>
        </dd>
        <dt>Created</dt>
        <dd>{new Date(card.createdAt).toLocaleString()}</dd>
        <dt>Platform</dt>
        <dd>
          {card.platform} / {card.arch}
        </dd>
        <dt>Repeats</dt>
        <dd>{card.repeat} (repeat r uses seed + r)</dd>
        <dt>Statistics unit</dt>
        <dd data-testid="runcard-unit">{STATS_UNIT}: repeats are averaged per case</dd>
        <dt>Parameters</dt>
        <dd className="mono">{JSON.stringify(card.params)}</dd>
      </dl>
      <table className="data-table" aria-label="Models in this run">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">sha256 / provider id</th>
            <th scope="col">Quant</th>
            <th scope="col">Backend</th>
            <th scope="col" className="num">
              Threads
            </th>
            <th scope="col" className="num">
              GPU layers
            </th>
            <th scope="col">Parameters</th>
            <th scope="col">Seed per repeat</th>
          </tr>
        </thead>
        <tbody>
          {card.models.map((m) => (
            <tr key={m.id}>
              <td className="mono">{m.label ?? m.id}</td>
              <td className="mono evals-hash">{m.sha256 ?? m.providerModelId ?? '—'}</td>
              <td>{m.quantization ?? '—'}</td>
              <td>{m.backend ?? '—'}</td>
              <td className="num">{m.threads ?? '—'}</td>
              <td className="num">{m.gpuLayers ?? '—'}</td>
              <td className="mono">{JSON.stringify(m.params)}</td>
              <td className="mono">{formatSeeds(m.seeds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Exact prompts ({card.prompts.length})</summary>
        {card.prompts.map((p, i) => (
          <pre key={i} className="evals-pre">
            {p.system ? `[system] ${p.system}\n` : ''}
            {p.template}
          </pre>
        ))}
      </details>
    </div>
  );
}
