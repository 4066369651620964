import type { BuiltinDetector } from '../../../../shared/domain/dataPolicy';
import { emailDetector } from './email';
import { ibanDetector } from './iban';
import { ipAddressDetector } from './ipAddress';
import { paymentCardDetector } from './paymentCard';
import { phoneDetector } from './phone';
import { secretDetector } from './secret';
import type { Detector } from './types';
import { ukNinoDetector } from './ukNino';
import { usSsnDetector } from './usSsn';

/** One detector per built-in kind; a kind added to BUILTIN_DETECTORS without one here does not compile. */
export const BUILTIN_DETECTOR_IMPLS = {
  email: emailDetector,
  phone: phoneDetector,
  iban: ibanDetector,
  card: paymentCardDetector,
  ssn: usSsnDetector,
  nino: ukNinoDetector,
  ip: ipAddressDetector,
  secret: secretDetector,
} as const satisfies Record<BuiltinDetector, Detector>;
