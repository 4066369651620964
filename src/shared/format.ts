/**
 * Formatters shared by every page, so the same quantity reads the same everywhere.
 *
 * Each takes a number (or null/undefined) and returns display text. A missing or non-finite
 * value becomes `MISSING` ("—") rather than "NaN" or "0", because a blank measurement is not zero.
 *
 *   formatBytes(4_368_439_296)      → "4.07 GB"    (binary multiples, as file managers show model sizes)
 *   formatMs(843) / formatMs(12_400) → "843 ms" / "12.4 s"
 *   formatTokensPerSecond(41.27)    → "41.3 tok/s"
 *   formatTokens(12345)             → "12,345"
 *   formatUsd(0.0042) / formatUsd(3) → "$0.0042" / "$3.00"
 *   formatPercent(0.873)            → "87.3%"
 */

export const MISSING = '—';

type MaybeNumber = number | null | undefined;

function isNumber(value: MaybeNumber): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

export function formatBytes(bytes: MaybeNumber): string {
  if (!isNumber(bytes)) return MISSING;
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  // Three significant digits: "4.07 GB", "40.7 GB", "407 GB".
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export function formatMs(ms: MaybeNumber): string {
  if (!isNumber(ms)) return MISSING;
  const abs = Math.abs(ms);
  if (abs < 10) return `${ms.toFixed(1)} ms`;
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const sign = ms < 0 ? '-' : '';
  if (minutes < 60) return `${sign}${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${sign}${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatTokensPerSecond(tokensPerSecond: MaybeNumber): string {
  if (!isNumber(tokensPerSecond)) return MISSING;
  const digits = Math.abs(tokensPerSecond) >= 100 ? 0 : 1;
  return `${tokensPerSecond.toFixed(digits)} tok/s`;
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatTokens(count: MaybeNumber): string {
  if (!isNumber(count)) return MISSING;
  return integerFormat.format(count);
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const smallUsdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });

/** Cents for ordinary amounts; two significant digits below a cent, where per-request costs live. */
export function formatUsd(usd: MaybeNumber): string {
  if (!isNumber(usd)) return MISSING;
  if (usd !== 0 && Math.abs(usd) < 0.01) return smallUsdFormat.format(usd);
  return usdFormat.format(usd);
}

/** A pass rate as shown: with no finished cell there is none, which must not read as 0%. */
export function formatPassRate(rate: number | null, fractionDigits = 1): string {
  return rate === null ? '– (nothing measured)' : formatPercent(rate, fractionDigits);
}

/** `ratio` is a fraction: 0.5 → "50%". */
export function formatPercent(ratio: MaybeNumber, fractionDigits = 1): string {
  if (!isNumber(ratio)) return MISSING;
  const text = (ratio * 100).toFixed(fractionDigits);
  // "50.0%" reads as false precision for whole numbers.
  return `${text.endsWith('.0') ? text.slice(0, -2) : text}%`;
}
