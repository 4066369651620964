import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ReactMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../src/renderer/chat/Markdown';
import { plainHead } from '../../../src/renderer/chat/markdownBlocks';
import { remarkCitations, type CitationLabels } from '../../../src/renderer/chat/remarkCitations';

/*
 * A long streamed paragraph is parsed only from its first markdown character on (#ui-stream: a
 * 3,000-character one-line answer was re-parsed whole on every batch). The head it shows as plain
 * text must be exactly what a whole parse shows.
 */
const LABELS: CitationLabels = new Map([[1, 'Source 1: handbook.pdf, page 2']]);
const PLAIN = 'Once upon a time, there was a little girl named Lily. She loved to play outside: "Look!" she said, (and it was 3 p.m.). '.repeat(3);

function whole(text: string): string {
  return renderToStaticMarkup(createElement(ReactMarkdown, { remarkPlugins: [remarkGfm, remarkCitations(LABELS)], rehypePlugins: [rehypeHighlight] }, text));
}

function ours(text: string): string {
  // React separates adjacent text nodes with a comment in server markup; the page shows no such thing.
  return renderToStaticMarkup(createElement(Markdown, { text, blockwise: true, streaming: false, citations: LABELS })).replaceAll('<!-- -->', '');
}

describe('a long paragraph parsed from its first markdown character', () => {
  const tails = [
    'The end.',
    'Then **bold**, _emphasis_, ~~struck~~ and `code [1]` came.',
    'See [the guide](https://example.com "Guide") and ![a picture](x.png) now.',
    'Visit www.example.com or write to lily@example.com or https://example.com/a?b=1 today.',
    'Entities &amp; &copy; and \\*escaped\\* stars, a <b>tag</b> dropped.',
    'It says [1] and [2] and [^note].',
    '1. is not a list here, # nor a heading, > nor a quote, - nor an item.',
    'Intraword snake_case_name and 2*3*4 maths.',
    'Ünïcödé wörds, éclairs and 日本語 too.',
    'Trailing spaces   ',
    'Two  spaces  between  words.',
    'A second line\nmakes it a paragraph of two lines.',
    'A second line\n===',
    'Ends in a half-written **bold',
  ];
  it.each(tails)('renders %j after a plain head exactly as a whole parse does', (tail) => {
    const text = PLAIN + tail;
    expect(ours(text)).toBe(whole(text));
  });

  it('parses only the rest of a long plain line, from a word boundary before its first markdown character', () => {
    const gibberish = 'junt wh of a gnout a endyest day lonestuit,gien an aneneneotherho "Ire of thysted!" ares. '.repeat(40);
    const split = plainHead(gibberish.trimEnd())!;
    expect(split.head.length).toBeGreaterThan(3000);
    expect(split.rest).toBe('ares.');
    expect(plainHead(`${PLAIN}and **then** more`)).toEqual({ head: PLAIN.trimEnd(), rest: 'and **then** more' });
    expect(plainHead(`${PLAIN}see www.example.com`)!.rest).toBe('www.example.com');
    // Not a one-line paragraph, or nothing plain before the markdown: parsed whole.
    for (const block of ['# Heading with many words', '- item with words', '1. first item', `${PLAIN}\nline two`, '**Bold** start then words', ' indented words here']) {
      expect(plainHead(block)).toBeNull();
    }
  });
});
