import type { ChatMessage, GenerationMetrics } from '../../../shared/domain/generation';
import type { UsageDetail } from '../providers/ModelProvider';
import type { PriceTable } from '../pricing/PriceTable';

export interface FinalizeInput {
  ref: string;
  local: boolean;
  host: string | null;
  messages: ChatMessage[];
  text: string;
  metrics: GenerationMetrics;
  usageDetail?: UsageDetail;
  retries: number;
  fallbackFrom: string | null;
  prices?: PriceTable;
  localHourlyRateUsd: number;
}

/** Rough but honest: ~4 characters per token, and always flagged as an estimate. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Fills what is ours to fill: estimated usage (flagged), decode speed, cost, retries, fallback. */
export function finalizeMetrics(input: FinalizeInput): GenerationMetrics {
  const m = { ...input.metrics, retries: input.retries, fallbackFrom: input.fallbackFrom };
  m.host ??= input.host;
  if (m.promptTokens === null) {
    m.promptTokens = estimateTokens(input.messages.map((x) => x.content).join('\n'));
    m.usageEstimated = true;
  }
  if (m.completionTokens === null) {
    m.completionTokens = estimateTokens(input.text);
    m.usageEstimated = true;
  }
  if (m.decodeTokensPerSecond === null && m.ttftMs !== null && m.completionTokens > 0 && m.totalMs > m.ttftMs) {
    m.decodeTokensPerSecond = m.completionTokens / ((m.totalMs - m.ttftMs) / 1000);
  }
  if (input.local) {
    m.costUsd = input.localHourlyRateUsd > 0 ? (input.localHourlyRateUsd * m.totalMs) / 3.6e6 : 0;
  } else {
    m.costUsd = input.prices
      ? input.prices.cost(input.ref, {
          promptTokens: m.promptTokens,
          completionTokens: m.completionTokens,
          cachedPromptTokens: input.usageDetail?.cachedPromptTokens ?? null,
        })
      : null;
  }
  return m;
}
