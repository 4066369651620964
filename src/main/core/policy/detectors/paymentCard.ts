import { digitsOf, spansOf, type Detector } from './types';

// 13-19 digits, optionally grouped with single spaces or dashes.
const CANDIDATE = /(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d]|[.-]\d)/g;

export function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes of the card networks, so a Luhn-valid order number of 16 digits is not a card. */
function knownIssuer(d: string): boolean {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  const three = Number(d.slice(0, 3));
  const len = d.length;
  if (d[0] === '4') return len === 13 || len === 16 || len === 19; // Visa
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return len === 16; // Mastercard
  if (two === 34 || two === 37) return len === 15; // American Express
  if (d.startsWith('6011') || two === 65 || (three >= 644 && three <= 649)) return len >= 16; // Discover
  if (four >= 3528 && four <= 3589) return len >= 16; // JCB
  if (two === 36 || two === 38 || (three >= 300 && three <= 305)) return len >= 14; // Diners
  if (two === 62) return len >= 16; // UnionPay
  return false;
}

export const paymentCardDetector: Detector = {
  detect: (text) =>
    spansOf(text, CANDIDATE, (m) => {
      const separators = new Set(m[0].replace(/\d/g, ''));
      if (separators.size > 1) return false;
      const d = digitsOf(m[0]);
      return knownIssuer(d) && luhnOk(d);
    }),
};
