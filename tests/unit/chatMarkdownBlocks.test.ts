import { describe, expect, it } from 'vitest';
import { markdownBlocks } from '../../src/renderer/chat/markdownBlocks';

describe('markdownBlocks', () => {
  it('splits at blank lines but never inside a code fence', () => {
    const text = 'Intro line\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\n- one\n- two\n\n\nEnd';
    expect(markdownBlocks(text)).toEqual(['Intro line', '```js\nconst a = 1;\n\nconst b = 2;\n```', '- one\n- two', 'End']);
  });

  it('keeps an unterminated fence (still streaming) in one block', () => {
    expect(markdownBlocks('a\n\n~~~\nx\n\ny')).toEqual(['a', '~~~\nx\n\ny']);
  });

  it('reassembles to the same text modulo blank-line runs', () => {
    const text = 'p1\nstill p1\n\np2';
    expect(markdownBlocks(text).join('\n\n')).toBe(text);
  });
});
