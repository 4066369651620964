import type { LicenceInfo, ModelFit } from '../../shared/contract';
import { formatTokens } from '../../shared/format';

const FIT_TEXT: Record<ModelFit['level'], string> = { fits: 'Fits', tight: 'Tight', wont_fit: "Won't fit", unknown: 'Fit unknown' };
const FIT_CLASS: Record<ModelFit['level'], string> = {
  fits: 'badge models-badge--success',
  tight: 'badge badge--warning',
  wont_fit: 'badge models-badge--danger',
  unknown: 'badge',
};

export function FitBadge({ fit }: { fit: ModelFit | null }) {
  if (!fit) return <span className="badge">Fit unknown</span>;
  const context = fit.maxContextSize ? ` · up to ${formatTokens(fit.maxContextSize)} tokens` : '';
  const basis = fit.basis === 'size-estimate' ? ' (estimated from size)' : '';
  return (
    <span className={FIT_CLASS[fit.level]} title={(fit.note ?? '') + basis}>
      {FIT_TEXT[fit.level]}
      {context}
    </span>
  );
}

export function LicenceBadge({ licence }: { licence: LicenceInfo }) {
  const label = licence.id ?? 'No licence';
  const warn = licence.warning !== null;
  return (
    <span className={warn ? 'badge badge--warning' : 'badge'} title={licence.warning ?? licence.name ?? undefined}>
      {warn && <span aria-hidden="true">⚠</span>}
      Licence: {label}
      {warn && <span className="visually-hidden"> (warning: {licence.warning})</span>}
    </span>
  );
}
