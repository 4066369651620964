import { spansOf, type Detector } from './types';

// Written with dashes or spaces (the same both times); nine bare digits are too often something else.
const SSN = /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w]|-\d)/g;

/** Numbers the SSA never issues: area 000, 666 or 900-999, group 00, serial 0000. */
export const usSsnDetector: Detector = {
  detect: (text) =>
    spansOf(text, SSN, (m) => {
      const area = Number(m[1]);
      return area !== 0 && area !== 666 && area < 900 && m[3] !== '00' && m[4] !== '0000';
    }),
};
