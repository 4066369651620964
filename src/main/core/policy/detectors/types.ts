/** Where one detected value sits in a text: `text.slice(start, end)`. */
export interface DetectedSpan {
  start: number;
  end: number;
}

/** A built-in detector: pure and synchronous, so it can run on every outbound prompt. */
export interface Detector {
  detect(text: string): DetectedSpan[];
}

/** Runs a global regex of our own (never a user's: those run in the sandbox) and keeps the spans `accept` approves. */
export function spansOf(text: string, re: RegExp, accept: (match: RegExpExecArray) => DetectedSpan | boolean = () => true): DetectedSpan[] {
  const out: DetectedSpan[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex += 1;
      continue;
    }
    const verdict = accept(m);
    if (verdict === true) out.push({ start: m.index, end: m.index + m[0].length });
    else if (verdict) out.push(verdict);
  }
  return out;
}

export function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** Sorted, with overlapping spans joined: two rules finding the same value count it once. */
export function joinOverlaps(spans: DetectedSpan[]): DetectedSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: DetectedSpan[] = [];
  for (const span of sorted) {
    const last = out[out.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}
