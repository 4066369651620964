import { digitsOf, joinOverlaps, spansOf, type Detector } from './types';

// +<country> and groups: +44 20 7946 0958, +1 (415) 555-0100, +4915112345678.
const INTERNATIONAL = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w])/g;
// North American 3-3-4 with separators: (415) 555-0100, 415-555-0100, 415.555.0100.
const NANP = /(?<![\w+.-])(?:\(\d{3}\)[ ]?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w]|[.-]\d)/g;
// National numbers with a trunk 0 and separated groups: 020 7946 0958, 030-1234 5678.
const TRUNK = /(?<![\w+.-])0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}(?![\w]|[.-]\d)/g;

function between(s: string, min: number, max: number): boolean {
  const n = digitsOf(s).length;
  return n >= min && n <= max;
}

/** Phone numbers in the formats people write; bare digit runs (order ids, timestamps) are not taken. */
export const phoneDetector: Detector = {
  detect(text) {
    const spans = [
      ...spansOf(text, INTERNATIONAL, (m) => between(m[0], 8, 15)),
      ...spansOf(text, NANP, (m) => between(m[0], 10, 10)),
      ...spansOf(text, TRUNK, (m) => between(m[0], 10, 11)),
    ];
    return joinOverlaps(spans);
  },
};
