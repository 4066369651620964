export interface TextSpan {
  /** Character offsets into the text given, end exclusive. */
  start: number;
  end: number;
  text: string;
}

/**
 * Cuts text into chunks of at most `size` characters that share about `overlap` characters with
 * the previous one. A cut prefers a paragraph break, then a line break, then a sentence end, then
 * a space, as long as that keeps the chunk at least half full, so passages read whole.
 */
export function chunkText(text: string, size: number, overlap: number): TextSpan[] {
  const spans: TextSpan[] = [];
  let pos = skipSpace(text, 0);
  while (pos < text.length) {
    let end = Math.min(text.length, pos + size);
    if (end < text.length) end = breakBefore(text, pos + Math.floor(size / 2), end);
    const trimmedEnd = trimEnd(text, pos, end);
    if (trimmedEnd > pos) spans.push({ start: pos, end: trimmedEnd, text: text.slice(pos, trimmedEnd) });
    if (end >= text.length) break;
    // Step back by the overlap, then forward to a word start so no chunk begins mid-word.
    let next = Math.max(end - overlap, pos + 1);
    if (next < end) {
      const space = text.slice(next, end).search(/\s/);
      next = space === -1 ? end : next + space;
    }
    pos = skipSpace(text, next);
  }
  return spans;
}

function breakBefore(text: string, min: number, max: number): number {
  const window = text.slice(min, max);
  for (const pattern of [/\n\s*\n/g, /\n/g, /[.!?]["')\]]?\s/g, /\s/g]) {
    let last = -1;
    for (const m of window.matchAll(pattern)) last = m.index + m[0].length;
    if (last > 0) return min + last;
  }
  return max;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end;
}
