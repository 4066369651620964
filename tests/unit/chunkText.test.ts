import { describe, expect, it } from 'vitest';
import { chunkText } from '../../src/main/core/docs/chunkText';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('chunkText', () => {
  it('keeps short text whole and drops surrounding space from the span', () => {
    expect(chunkText('  Just one line.  ', 1000, 100)).toEqual([{ start: 2, end: 16, text: 'Just one line.' }]);
    expect(chunkText('   \n ', 1000, 100)).toEqual([]);
  });

  it('cuts long text into chunks no longer than the size, at word boundaries, each span matching its text', () => {
    const text = words(600);
    const chunks = chunkText(text, 300, 60);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(300);
      expect(text.slice(c.start, c.end)).toBe(c.text);
      expect(c.text).toMatch(/^word\d+/);
      expect(c.text).toMatch(/word\d+$/);
    }
    // Consecutive chunks share some text (the overlap) and together cover everything.
    for (let i = 1; i < chunks.length; i++) {
      expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
      expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
    }
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('prefers a paragraph break over a cut mid-paragraph', () => {
    const first = 'First paragraph sentence. '.repeat(8).trim();
    const second = 'Second paragraph goes on. '.repeat(8).trim();
    const chunks = chunkText(`${first}\n\n${second}`, 300, 0);
    expect(chunks[0]!.text).toBe(first);
    expect(chunks[1]!.text.startsWith('Second paragraph')).toBe(true);
  });

  it('always advances, even through a word longer than the chunk', () => {
    const chunks = chunkText('x'.repeat(2500), 1000, 200);
    expect(chunks.map((c) => c.text.length)).toEqual([1000, 1000, 500]);
  });
});
