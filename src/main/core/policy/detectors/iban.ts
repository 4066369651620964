import type { DetectedSpan, Detector } from './types';

/** IBAN length per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32,
  LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19,
  SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

const START = /(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})/g;

/** ISO 13616 check: move the first four characters to the end, letters to numbers, remainder mod 97 is 1. */
export function ibanChecksumOk(iban: string): boolean {
  const rearranged = (iban.slice(4) + iban.slice(0, 4)).toUpperCase();
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + digit.charCodeAt(0) - 48) % 97;
  }
  return rest === 1;
}

/**
 * IBANs, printed (groups of four, single spaces) or electronic: the country's length is read
 * exactly, so trailing words ("… 00 EUR") are not swallowed, and the mod-97 check must hold.
 */
export const ibanDetector: Detector = {
  detect(text) {
    const out: DetectedSpan[] = [];
    START.lastIndex = 0;
    for (let m = START.exec(text); m; m = START.exec(text)) {
      const length = IBAN_LENGTHS[m[1]!.toUpperCase()];
      if (!length) continue;
      let compact = m[1]! + m[2]!;
      let i = m.index + 4;
      while (compact.length < length && i < text.length) {
        const ch = text[i]!;
        if (/[A-Za-z0-9]/.test(ch)) {
          compact += ch;
          i += 1;
        } else if (ch === ' ' && /[A-Za-z0-9]/.test(text[i + 1] ?? '')) {
          i += 1;
        } else break;
      }
      if (compact.length !== length || /[A-Za-z0-9]/.test(text[i] ?? '')) continue;
      if (!ibanChecksumOk(compact)) continue;
      out.push({ start: m.index, end: i });
      START.lastIndex = i;
    }
    return out;
  },
};
