import { isIPv4, isIPv6 } from 'node:net';
import { joinOverlaps, spansOf, type Detector } from './types';

// Dotted quads not glued to a version prefix (v1.2.3.4) or to a fifth part (1.2.3.4.5).
const V4 = /(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\w]|\.\d)/g;
// Hex groups with colons; node:net decides what is really an IPv6 address.
const V6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g;

/** IPv4 and IPv6 addresses; times (10:30:00) and C++ scopes (a::b with one group) are not taken. */
export const ipAddressDetector: Detector = {
  detect(text) {
    const v4 = spansOf(text, V4, (m) => isIPv4(m[0]) && !/(^|\.)0\d/.test(m[0]));
    const v6 = spansOf(text, V6, (m) => {
      const candidate = m[0].replace(/\.$/, '');
      const groups = candidate.split(':').filter((g) => g.length > 0).length;
      return isIPv6(candidate) && groups >= 2 && { start: m.index, end: m.index + candidate.length };
    });
    return joinOverlaps([...v4, ...v6]);
  },
};
