import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatPercent, formatTokens, formatTokensPerSecond, formatUsd, MISSING } from '../../../src/shared/format';

describe('renderer formatters', () => {
  it('shows a missing or non-finite measurement as a dash, never as 0 or NaN', () => {
    for (const format of [formatBytes, formatMs, formatTokensPerSecond, formatTokens, formatUsd, formatPercent]) {
      expect(format(null)).toBe(MISSING);
      expect(format(undefined)).toBe(MISSING);
      expect(format(Number.NaN)).toBe(MISSING);
      expect(format(Number.POSITIVE_INFINITY)).toBe(MISSING);
    }
  });

  it('formats byte counts in binary multiples with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KB');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(4_368_439_296)).toBe('4.07 GB');
    expect(formatBytes(40.7 * 1024 ** 3)).toBe('40.7 GB');
    expect(formatBytes(407 * 1024 ** 2)).toBe('407 MB');
    expect(formatBytes(-2048)).toBe('-2.00 KB');
  });

  it('formats durations from sub-millisecond to hours', () => {
    expect(formatMs(4.26)).toBe('4.3 ms');
    expect(formatMs(843.4)).toBe('843 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(12_400)).toBe('12.4 s');
    expect(formatMs(125_000)).toBe('2m 05s');
    expect(formatMs(3_725_000)).toBe('1h 02m');
  });

  it('formats throughput and token counts', () => {
    expect(formatTokensPerSecond(41.27)).toBe('41.3 tok/s');
    expect(formatTokensPerSecond(432.6)).toBe('433 tok/s');
    expect(formatTokensPerSecond(0)).toBe('0.0 tok/s');
    expect(formatTokens(12345)).toBe('12,345');
    expect(formatTokens(0)).toBe('0');
  });

  it('shows cents for ordinary amounts and significant digits below a cent', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(3)).toBe('$3.00');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0.000123)).toBe('$0.00012');
    expect(formatUsd(0.01)).toBe('$0.01');
  });

  it('formats ratios as percentages without a trailing .0', () => {
    expect(formatPercent(0.873)).toBe('87.3%');
    expect(formatPercent(0.5)).toBe('50%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0.12345, 2)).toBe('12.35%');
  });
});
