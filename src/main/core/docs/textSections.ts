import { Parser } from 'htmlparser2';
import type { Section } from './parseDocument';

const HEADING = /^h[1-6]$/;
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg']);
const BLOCKS = new Set(['p', 'div', 'br', 'li', 'tr', 'section', 'article', 'blockquote', 'pre', 'table', 'ul', 'ol', 'header', 'footer', 'td', 'th']);

/**
 * Splits HTML (also mammoth's rendering of a DOCX) into sections at each heading. The parser is
 * fed a slice at a time with the event loop let through between slices, so a long document
 * (a 500-page DOCX is megabytes of HTML) never holds the main thread for one long task.
 */
export async function htmlSections(html: string, { sliceChars = 64 * 1024 }: { sliceChars?: number } = {}): Promise<Section[]> {
  const sections: Section[] = [];
  let heading: string | null = null;
  let text = '';
  let headingText: string | null = null;
  let skipDepth = 0;
  const flush = () => {
    if (text.trim() !== '') sections.push({ page: null, heading, text: tidy(text) });
    text = '';
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (HEADING.test(name)) {
          flush();
          headingText = '';
        } else if (BLOCKS.has(name)) text += '\n';
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (headingText !== null) headingText += data;
        else text += data;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (HEADING.test(name) && headingText !== null) {
          heading = tidy(headingText) || null;
          // The heading stays in the text too, so a keyword search for it finds its section.
          text = heading === null ? '' : `${heading}\n`;
          headingText = null;
        } else if (BLOCKS.has(name)) text += '\n';
      },
    },
    { decodeEntities: true },
  );
  // The tokenizer is streaming: a tag, entity or word cut between slices comes out the same.
  for (let at = 0; at < html.length; at += sliceChars) {
    if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    parser.write(html.slice(at, at + sliceChars));
  }
  parser.end();
  flush();
  return sections;
}

/** Splits Markdown at ATX headings (`#` to `######`), ignoring `#` lines inside fenced code. */
export function markdownSections(markdown: string): Section[] {
  const sections: Section[] = [];
  let heading: string | null = null;
  let lines: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    const text = lines.join('\n');
    if (text.trim() !== '') sections.push({ page: null, heading, text });
    lines = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) fence = fence === null ? fenceMatch[1]! : fence === fenceMatch[1] ? null : fence;
    const h = fence === null ? /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (h) {
      flush();
      heading = h[1]!;
    }
    lines.push(line);
  }
  flush();
  return sections;
}

function tidy(text: string): string {
  return text
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
