import type { Download } from '../../shared/contract';
import { formatBytes } from '../../shared/format';

/** What one download row shows: the bar, its text, and the line under it. */
export interface DownloadView {
  label: string;
  /** Null: indeterminate (animated). Only for work that is really under way with no known size. */
  value: number | null;
  max: number;
  valueText: string;
  note: { kind: 'warning' | 'error'; text: string } | null;
}

const STATUS_TEXT: Record<Download['status'], string> = {
  downloading: 'Downloading',
  paused: 'Paused',
  interrupted: 'Interrupted',
  verifying: 'Verifying sha256',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min`;
}

/**
 * A bar animates only while bytes are really flowing with no known size (or during the sha256
 * check). Waiting for a retry, paused, interrupted or failed: a still bar at what arrived, and
 * the reason in words.
 */
export function downloadView(d: Download, now = Date.now()): DownloadView {
  const size = d.totalBytes ? `${formatBytes(d.receivedBytes)} of ${formatBytes(d.totalBytes)}` : `${formatBytes(d.receivedBytes)} received, size unknown`;
  const still = { value: d.receivedBytes, max: d.totalBytes ?? Math.max(d.receivedBytes, 1) };
  if (d.status === 'completed') return { label: `${d.fileName} — Completed`, value: 1, max: 1, valueText: 'Added to the library', note: null };
  if (d.status === 'verifying') return { label: `${d.fileName} — ${STATUS_TEXT.verifying}`, value: null, max: 1, valueText: size, note: null };
  if (d.status === 'downloading' && d.retry) {
    const wait = Math.max(0, (Date.parse(d.retry.nextAt) - now) / 1000);
    return {
      label: `${d.fileName} — Retrying (${d.retry.attempt} of ${d.retry.max})`,
      ...still,
      valueText: size,
      note: { kind: 'warning', text: `${d.retry.reason} Retry ${d.retry.attempt} of ${d.retry.max}${wait > 0 ? ` in ${duration(wait)}` : ' now'}.` },
    };
  }
  if (d.status === 'downloading') {
    const speed = d.bytesPerSecond > 0 ? ` · ${formatBytes(d.bytesPerSecond)}/s` : ' · waiting for data';
    const eta = d.etaSeconds !== null && d.bytesPerSecond > 0 ? ` · ${duration(d.etaSeconds)} left` : '';
    return { label: `${d.fileName} — Downloading`, value: d.totalBytes ? d.receivedBytes : null, max: d.totalBytes ?? 1, valueText: `${size}${speed}${eta}`, note: null };
  }
  const note = d.error ? { kind: d.status === 'failed' ? ('error' as const) : ('warning' as const), text: d.error } : null;
  return { label: `${d.fileName} — ${STATUS_TEXT[d.status]}`, ...still, valueText: size, note };
}
