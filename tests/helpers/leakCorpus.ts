import { BUILTIN_DETECTOR_IMPLS } from '../../src/main/core/policy/detectors/builtin';
import type { RecordedRequest } from './fakeProviders/FakeProviderServer';

/** Synthetic records full of detectable values. */
export const CORPUS = [
  'Customer: Jane Doe <jane.doe@example.com>, phone +44 20 7946 0958, IBAN GB82 WEST 1234 5698 7654 32, NI AB 12 34 56 C.',
  'Card 4111 1111 1111 1111 exp 12/29; SSN 123-45-6789; US office (415) 555-0100; server 10.20.30.40 and fe80::1ff:fe23:4567:890a.',
  'Deploy with AKIAIOSFODNN7EXAMPLE and ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789; OPENAI_API_KEY=sk-proj-Zx81Qw27Er63Ty45Ui09Op; token q8Zr2LmT9vXw4KpB7nYc3HdF6sGj1Ue5.',
  ['-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', '-----END OPENSSH PRIVATE KEY-----'].join('\n'),
];
export const REDACT_ALL = `providers:\n  "*": { ${Object.keys(BUILTIN_DETECTOR_IMPLS).map((k) => `${k}: redact`).join(', ')} }\n`;

/** Every value the detectors find in the corpus, and the forms a request body could carry it in. */
export function corpusValues(): string[] {
  const values = new Set<string>();
  for (const text of CORPUS) {
    for (const detector of Object.values(BUILTIN_DETECTOR_IMPLS)) for (const s of detector.detect(text)) values.add(text.slice(s.start, s.end));
  }
  return [...values];
}

export function leaks(requests: RecordedRequest[], values: string[]): string[] {
  const found: string[] = [];
  for (const r of requests) {
    const bytes = `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${r.body}`;
    for (const v of values) {
      const forms = [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v)];
      // A multi-line value may be split by a wire's own escaping: check each line of it too.
      if (v.includes('\n')) forms.push(...v.split('\n').filter((line) => line.length >= 16));
      if (forms.some((f) => bytes.includes(f))) found.push(`${r.path}: ${v.slice(0, 20)}…`);
    }
  }
  return found;
}
