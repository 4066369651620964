import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../../src/renderer/chat/Markdown';
import { citationSegments, type CitationLabels } from '../../../src/renderer/chat/remarkCitations';

const LABELS: CitationLabels = new Map([
  [1, 'Source 1: handbook.pdf, page 2'],
  [2, 'Source 2: security.docx › Visitors'],
]);

function render(text: string, blockwise = false, citations: CitationLabels | null = LABELS): string {
  return renderToStaticMarkup(createElement(Markdown, { text, blockwise, streaming: false, citations }));
}

const button = (n: number) =>
  `<button type="button" class="chat-cite" data-cite="${n}" aria-label="${LABELS.get(n)}" title="${LABELS.get(n)}">[${n}]</button>`;

describe('citations in answers', () => {
  it('splits text at known [n] only', () => {
    expect(citationSegments('Leave is 27 days [1], badges are red [2][7].', LABELS)).toEqual(['Leave is 27 days ', 1, ', badges are red ', 2, '[7].']);
    expect(citationSegments('[1]', LABELS)).toEqual([1]);
    expect(citationSegments('no refs [x] [ 1 ]', LABELS)).toEqual(['no refs [x] [ 1 ]']);
  });

  it('turns each [n] that matches a passage into a button named after its source', () => {
    const html = render('Employees get **27 days [1]** of leave [1][2].');
    expect(html).toBe(`<p>Employees get <strong>27 days ${button(1)}</strong> of leave ${button(1)}${button(2)}.</p>`);
  });

  it('leaves [n] without a passage, in code, and in links as text', () => {
    const html = render('See [3] and `[1]` and [the guide [1]](https://example.com).\n\n```\nitems[1] = 2\n```');
    expect(html).not.toContain('<button');
    expect(html).toContain('See [3] and <code>[1]</code>');
    expect(html).toContain('items[1] = 2');
  });

  it('works block by block while streaming, and not at all without passages', () => {
    expect(render('First [1].\n\nSecond [2].', true)).toBe(`<p>First ${button(1)}.</p><p>Second ${button(2)}.</p>`);
    expect(render('Plain [1].', false, null)).toBe('<p>Plain [1].</p>');
    expect(render('Plain [1].', false, new Map())).toBe('<p>Plain [1].</p>');
  });
});
