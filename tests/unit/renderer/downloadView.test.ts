import { describe, expect, it } from 'vitest';
import type { Download } from '../../../src/shared/contract';
import { downloadView } from '../../../src/renderer/models/downloadView';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function download(patch: Partial<Download>): Download {
  return {
    id: 'dl-1',
    source: 'hf:org/repo/model.gguf',
    url: 'https://example.com/model.gguf',
    fileName: 'model.gguf',
    status: 'downloading',
    receivedBytes: 0,
    totalBytes: null,
    bytesPerSecond: 0,
    etaSeconds: null,
    expectedSha256: null,
    error: null,
    retry: null,
    modelId: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

describe('downloadView', () => {
  it('shows size, speed and time left while bytes flow', () => {
    const view = downloadView(download({ receivedBytes: 50 * 1048576, totalBytes: 200 * 1048576, bytesPerSecond: 5 * 1048576, etaSeconds: 30 }), NOW);
    expect(view.value).toBe(50 * 1048576);
    expect(view.valueText).toMatch(/^50(\.0)? MB of 200(\.0)? MB · 5(\.00?)? MB\/s · 30 s left$/);
  });

  it('a retry waiting with no network is a still bar with the attempt, the reason and the wait, not "Downloading · 0 B"', () => {
    const view = downloadView(
      download({ retry: { attempt: 2, max: 5, reason: 'Network error: the host name could not be resolved (no network?) (ENOTFOUND).', nextAt: new Date(NOW + 4000).toISOString() } }),
      NOW,
    );
    expect(view.label).toBe('model.gguf — Retrying (2 of 5)');
    expect(view.value).not.toBeNull();
    expect(view.note).toEqual({ kind: 'warning', text: 'Network error: the host name could not be resolved (no network?) (ENOTFOUND). Retry 2 of 5 in 4 s.' });
  });

  it('a download refused by Offline stops animating and says why', () => {
    const view = downloadView(download({ status: 'failed', error: 'Parity is in Offline mode (Settings → Offline). Turn it off to reach huggingface.co.' }), NOW);
    expect(view.value).toBe(0);
    expect(view.label).toBe('model.gguf — Failed');
    expect(view.note).toEqual({ kind: 'error', text: expect.stringContaining('Offline mode') });
  });

  it('animates only real work of unknown length: receiving without a size, or verifying', () => {
    expect(downloadView(download({ receivedBytes: 10 }), NOW).value).toBeNull();
    expect(downloadView(download({ status: 'verifying', receivedBytes: 10, totalBytes: 10 }), NOW).value).toBeNull();
    for (const status of ['paused', 'interrupted', 'failed'] as const) expect(downloadView(download({ status, receivedBytes: 10 }), NOW).value).toBe(10);
  });
});
