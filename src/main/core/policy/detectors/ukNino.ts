import { spansOf, type Detector } from './types';

// HMRC: first letter not D F I Q U V, second not D F I O Q U V, suffix A-D (optional when printed), pairs optionally spaced.
const NINO = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/g;
const NEVER_ISSUED = new Set(['BG', 'GB', 'NK', 'KN', 'TN', 'NT', 'ZZ']);

export const ukNinoDetector: Detector = {
  detect: (text) => spansOf(text, NINO, (m) => !NEVER_ISSUED.has(m[1]!)),
};
