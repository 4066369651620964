/**
 * Splits markdown at blank lines outside code fences. Each block is parsed on its own, so while
 * an answer streams only the last (growing) block is re-parsed, not the whole answer per batch.
 */
export function markdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
    }
    if (fence === null && line.trim() === '') {
      if (current.length > 0) blocks.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/**
 * Characters and sequences that can make markdown of a paragraph's text anything but that text:
 * emphasis, strikethrough, code, links, images, footnotes and citations, raw HTML and autolinks,
 * escapes, character references, NUL, and GFM's literal autolinks (emails, www., scheme://).
 */
const NOT_PLAIN = /[`*_~[\]<>\\&@\0\r\n]|www\.|:\/\//i;
const LETTER = /\p{L}/u;

/**
 * Splits a one-line paragraph into a head that is plain text, exactly as markdown would show it,
 * and the rest, which starts with a letter at a word boundary: so only the rest needs parsing. A
 * long streamed paragraph is then re-parsed from its last markdown character on, not whole on
 * every batch (a 3,000-character line cost ~16 ms a batch, a long task on a loaded machine).
 * Null when the block is not such a line (a heading, list, quote, fence, table or several lines:
 * their first line decides what the rest is) or has no plain head.
 */
export function plainHead(block: string): { head: string; rest: string } | null {
  if (!LETTER.test(block[0] ?? '') || block.includes('\n')) return null;
  const stop = NOT_PLAIN.exec(block)?.index ?? block.length;
  for (let i = Math.min(stop, block.length - 1) - 1; i > 0; i--) {
    if (block[i] === ' ' && LETTER.test(block[i + 1]!)) return { head: block.slice(0, i), rest: block.slice(i + 1) };
  }
  return null;
}
