/** What main reports with each streamed batch (chat.delta and compare.delta carry the same). */
export interface LiveStreamStats {
  elapsedMs: number;
  ttftMs: number | null;
  /** Deltas so far: about one token each. */
  deltas: number;
}

/** Decode speed while streaming, estimated from the delta count; the final metrics replace it. */
export function liveTokensPerSecond(live: LiveStreamStats): number | null {
  if (live.ttftMs === null || live.deltas < 2) return null;
  const decodeMs = live.elapsedMs - live.ttftMs;
  return decodeMs > 0 ? ((live.deltas - 1) * 1000) / decodeMs : null;
}
