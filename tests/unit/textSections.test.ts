import { describe, expect, it } from 'vitest';
import { htmlSections, markdownSections } from '../../src/main/core/docs/textSections';

describe('markdownSections', () => {
  it('starts a section at each heading and keeps text before the first one', () => {
    const sections = markdownSections('Intro line.\n\n# Setup\nInstall it.\n\n## Run\nStart it.\n');
    expect(sections.map((s) => [s.heading, s.text.trim()])).toEqual([
      [null, 'Intro line.'],
      ['Setup', '# Setup\nInstall it.'],
      ['Run', '## Run\nStart it.'],
    ]);
  });

  it('does not take a # line inside fenced code for a heading', () => {
    const sections = markdownSections('# Script\n```sh\n# not a heading\necho hi\n```\nAfter the code.\n');
    expect(sections).toHaveLength(1);
    expect(sections[0]!.heading).toBe('Script');
    expect(sections[0]!.text).toContain('# not a heading');
  });
});

describe('htmlSections', () => {
  const HTML = '<h1>Fees &amp; charges</h1><p>One</p><p>Two</p><script>x()</script><style>p{}</style><h2>Refunds</h2><ul><li>Within 30 days</li></ul>';

  it('splits at headings, keeps block breaks, decodes entities, and drops scripts and styles', async () => {
    const sections = await htmlSections(HTML);
    expect(sections).toEqual([
      { page: null, heading: 'Fees & charges', text: 'Fees & charges\n\nOne\n\nTwo' },
      { page: null, heading: 'Refunds', text: 'Refunds\n\nWithin 30 days' },
    ]);
  });

  it('gives the same sections however the HTML is sliced, and lets the event loop run between slices', async () => {
    const whole = await htmlSections(HTML);
    // Slices cut through tags, entities and words alike.
    for (const sliceChars of [1, 3, 7, 16]) expect(await htmlSections(HTML, { sliceChars })).toEqual(whole);
    let ticked = false;
    setImmediate(() => (ticked = true));
    const sliced = htmlSections(HTML, { sliceChars: 8 });
    expect(ticked).toBe(false);
    await sliced;
    expect(ticked).toBe(true);
  });
});
