import { joinOverlaps, type DetectedSpan, type Detector } from './types';

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Literal terms (client names, code names), case-insensitive and whole-word, found with indexOf:
 * a term is data, never compiled into a pattern.
 */
export function userTermsDetector(terms: readonly string[]): Detector {
  const needles = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
  return {
    detect(text) {
      // toLowerCase keeps UTF-16 lengths for all but a few characters; those texts are searched as written.
      const lower = text.toLowerCase();
      const haystack = lower.length === text.length ? lower : text;
      const out: DetectedSpan[] = [];
      for (const needle of needles) {
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
          const before = at > 0 ? text[at - 1]! : '';
          const after = text[at + needle.length] ?? '';
          if ((before && WORD.test(before) && WORD.test(needle[0]!)) || (after && WORD.test(after) && WORD.test(needle[needle.length - 1]!))) continue;
          out.push({ start: at, end: at + needle.length });
        }
      }
      return joinOverlaps(out);
    },
  };
}
