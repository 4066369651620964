import { spansOf, type Detector } from './types';

// Local part, then a domain with at least one dot and an alphabetic top-level domain of 2+ letters.
const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g;
// `icon@2x.png`: asset names that look like addresses.
const RETINA_ASSET = /@\d+(?:\.\d+)?x\./i;

export const emailDetector: Detector = {
  detect: (text) => spansOf(text, EMAIL, (m) => !RETINA_ASSET.test(m[0])),
};
