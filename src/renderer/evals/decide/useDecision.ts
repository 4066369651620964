import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { DecideInput, DecisionRule, HostedOption } from '../../../shared/contract';
import { useClient } from '../../api/ClientContext';
import { call } from '../../api/client';
import type { LocalCostEstimate } from '../Scorecards';

/** What the Decide form holds, as typed (strings until they parse). */
export interface DecideForm {
  amount: string;
  unit: 'tasks' | 'tokens';
  growthPct: string;
  /** Empty: Settings → Cost's peak factor. */
  peakFactor: string;
  rule: DecisionRule['kind'];
  minPassPct: string;
  budget: string;
  /** What-if lines: a local model's weights on a hosted endpoint at a price per million tokens. */
  hosted: HostedOption[];
}

export const DEFAULT_DECIDE_FORM: DecideForm = { amount: '2000', unit: 'tasks', growthPct: '0', peakFactor: '', rule: 'cheapest-above-pass', minPassPct: '80', budget: '1000', hosted: [] };

function num(text: string, label: string, min = 0): number {
  const n = Number(text.trim().replace(/,/g, ''));
  if (text.trim() === '' || !Number.isFinite(n) || n < min) throw new Error(`Enter a number of at least ${min} for ${label}.`);
  return n;
}

/** The route input for the form, or the message naming the field to fix. */
export function toDecideInput(runId: string, form: DecideForm): { input: DecideInput } | { error: string } {
  try {
    const minPassRate = num(form.minPassPct, 'the minimum pass rate') / 100;
    const budgetUsdPerMonth = num(form.budget, 'the budget');
    const rule: DecisionRule =
      form.rule === 'cheapest-above-pass'
        ? { kind: form.rule, minPassRate: Math.min(1, minPassRate) }
        : form.rule === 'best-pass-under-budget'
          ? { kind: form.rule, budgetUsdPerMonth }
          : { kind: form.rule, minPassRate: Math.min(1, minPassRate), budgetUsdPerMonth };
    return {
      input: {
        runId,
        volume: { amount: num(form.amount, 'the volume'), unit: form.unit },
        monthlyGrowth: num(form.growthPct, 'the growth rate') / 100,
        overrides: form.peakFactor.trim() === '' ? {} : { peakFactor: num(form.peakFactor, 'the peak factor', 1) },
        hosted: form.hosted,
        rule,
      },
    };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The decision for a run at the form's volume; the previous answer stays shown while the next one loads. */
export function useDecision(input: DecideInput | null) {
  const client = useClient();
  return useQuery({
    queryKey: ['decide', input],
    queryFn: () => call(client, 'decide.evaluate', input!),
    enabled: input !== null,
    placeholderData: keepPreviousData,
  });
}

/** Local models' estimated cost per task at the form's volume, for the scorecard; empty until known. */
export function useLocalEstimates(runId: string, form: DecideForm, enabled: boolean): ReadonlyMap<string, LocalCostEstimate> {
  const parsed = toDecideInput(runId, form);
  const decision = useDecision(enabled && 'input' in parsed ? parsed.input : null);
  const d = decision.data;
  // Memo: the same map until the decision changes, so the memoized scorecard skips the renders a streaming run causes.
  return useMemo(() => {
    if (!d || d.runId !== runId) return NO_ESTIMATES;
    const basis = `at ${Math.round(d.tasksPerDay ?? 0).toLocaleString('en-US')} tasks/day (set the volume under Decide)`;
    return new Map(d.models.filter((m) => m.kind === 'local').map((m) => [m.ref, { perTaskUsd: m.costPerTaskUsd, perSuccessUsd: m.costPerSuccessUsd, basis }]));
  }, [d, runId]);
}

const NO_ESTIMATES: ReadonlyMap<string, LocalCostEstimate> = new Map();
