import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_DETECTOR_IMPLS } from '../../src/main/core/policy/detectors/builtin';
import { ibanChecksumOk } from '../../src/main/core/policy/detectors/iban';
import { luhnOk } from '../../src/main/core/policy/detectors/paymentCard';
import { looksRandom } from '../../src/main/core/policy/detectors/secret';
import type { Detector } from '../../src/main/core/policy/detectors/types';
import { userRegexDetector } from '../../src/main/core/policy/detectors/userRegex';
import { userTermsDetector } from '../../src/main/core/policy/detectors/userTerms';
import { SandboxError, ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';

/** The values a detector finds in `text`, in order. */
function found(detector: Detector, text: string): string[] {
  return detector.detect(text).map((s) => text.slice(s.start, s.end));
}

const PRIVATE_KEY = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', '-----END RSA PRIVATE KEY-----'].join('\n');

const CASES: Record<keyof typeof BUILTIN_DETECTOR_IMPLS, { hits: Array<[string, string[]]>; misses: string[] }> = {
  email: {
    hits: [
      ['Write to jane.doe@example.com today.', ['jane.doe@example.com']],
      ['cc: a+tag@sub.example.co.uk, B_O@Example.ORG', ['a+tag@sub.example.co.uk', 'B_O@Example.ORG']],
    ],
    misses: ['ssh to user@localhost', 'use icon@2x.png and logo@1.5x.webp', '@Component() class A {}', 'jane at example dot com', 'npm i @scope/pkg@1.2.3'],
  },
  phone: {
    hits: [
      ['Call +44 20 7946 0958 now', ['+44 20 7946 0958']],
      ['US office: +1 (415) 555-0100.', ['+1 (415) 555-0100']],
      ['(415) 555-0100 or 415-555-0100 or 415.555.0100', ['(415) 555-0100', '415-555-0100', '415.555.0100']],
      ['London 020 7946 0958', ['020 7946 0958']],
      ['mobile +4915112345678', ['+4915112345678']],
    ],
    misses: ['on 2024-01-15 at 10:30:00', 'version 1.2.3 and 10.0.0.1', 'order 123456789012', 'ISBN 978-3-16-148410-0', '4111 1111 1111 1111', 'pi is 3.141 592 6535', '+1 point'],
  },
  iban: {
    hits: [
      ['IBAN DE89 3704 0044 0532 0130 00 EUR', ['DE89 3704 0044 0532 0130 00']],
      ['pay GB82WEST12345698765432.', ['GB82WEST12345698765432']],
      ['FR14 2004 1010 0505 0001 3M02 606', ['FR14 2004 1010 0505 0001 3M02 606']],
      ['lower-case too: de89370400440532013000', ['de89370400440532013000']],
    ],
    // A changed digit fails mod-97; a wrong length for the country; an unknown country.
    misses: ['DE89 3704 0044 0532 0130 01', 'DE89 3704 0044 0532 0130', 'XX89370400440532013000', 'DE8937040044053201300012'],
  },
  card: {
    hits: [
      ['Visa 4111 1111 1111 1111 exp 12/29', ['4111 1111 1111 1111']],
      ['MC 5555-5555-5555-4444; Amex 3782 822463 10005', ['5555-5555-5555-4444', '3782 822463 10005']],
      ['raw 4012888888881881', ['4012888888881881']],
    ],
    // Luhn fails; Luhn passes but no card network starts with 1; mixed separators; a 12-digit run.
    misses: ['4111 1111 1111 1112', 'order 1234567812345670', '4111 1111-1111 1111', '411111111111', 'ts 1732579200000123'],
  },
  ssn: {
    hits: [['SSN 123-45-6789, alt 078 05 1120', ['123-45-6789', '078 05 1120']]],
    misses: ['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000', '123-45 6789', '123456789', '2024-05-1234', '12-123-45-6789'],
  },
  nino: {
    hits: [['NI AB 12 34 56 C and JG103759A', ['AB 12 34 56 C', 'JG103759A']]],
    misses: ['GB123456A', 'QQ123456C', 'AB123456E', 'DA123456A', 'XAB123456C', 'AB1234567C'],
  },
  ip: {
    hits: [
      ['host 192.168.1.20, gw 10.0.0.1.', ['192.168.1.20', '10.0.0.1']],
      ['v6 2001:db8:85a3::8a2e:370:7334 and fe80::1', ['2001:db8:85a3::8a2e:370:7334', 'fe80::1']],
    ],
    misses: ['v1.2.3.4', '1.2.3.4.5', '999.1.1.1', '10:30:00', 'std::vector<int>', 'mac 00:1A:2B:3C:4D:5E', '01.02.03.04'],
  },
  secret: {
    hits: [
      ['OPENAI_API_KEY=sk-proj-abc123DEF456ghi789JKL012mno', ['sk-proj-abc123DEF456ghi789JKL012mno']],
      ['aws AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE']],
      ['token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', ['ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789']],
      [`key:\n${PRIVATE_KEY}\nthanks`, [PRIVATE_KEY]],
      ['blob q8Zr2LmT9vXw4KpB7nYc3HdF6sGj1Ue5 end', ['q8Zr2LmT9vXw4KpB7nYc3HdF6sGj1Ue5']],
      ['db_password: "hunter2hunter"', ['hunter2hunter']],
    ],
    misses: [
      'we use sk-learn and scikit-learn',
      'commit 9fceb02d0ae598e95dc970b74767f19372d61af8',
      'id 123e4567-e89b-12d3-a456-426614174000',
      'path /usr/local/lib/node_modules/typescript/lib/tsc.js',
      'ThisIsAVeryLongCamelCaseIdentifierName2',
      'the secret: something',
      'max tokens: 1024',
    ],
  },
};

describe('built-in detectors: true and false positives', () => {
  for (const [kind, { hits, misses }] of Object.entries(CASES)) {
    const detector = BUILTIN_DETECTOR_IMPLS[kind as keyof typeof CASES];
    it.each(hits)(`${kind} finds the values in %j`, (text, expected) => {
      expect(found(detector, text)).toEqual(expected);
    });
    it.each(misses)(`${kind} finds nothing in %j`, (text) => {
      expect(found(detector, text)).toEqual([]);
    });
  }

  it('is deterministic: the same text gives the same spans', () => {
    const text = 'jane@example.com +44 20 7946 0958 DE89370400440532013000 4111111111111111 123-45-6789 AB123456C 10.0.0.1 AKIAIOSFODNN7EXAMPLE';
    for (const detector of Object.values(BUILTIN_DETECTOR_IMPLS)) expect(detector.detect(text)).toEqual(detector.detect(text));
  });
});

describe('checksums', () => {
  it('IBAN mod-97 and Luhn accept real numbers and reject one changed digit', () => {
    expect(ibanChecksumOk('GB82WEST12345698765432')).toBe(true);
    expect(ibanChecksumOk('GB82WEST12345698765433')).toBe(false);
    expect(luhnOk('79927398713')).toBe(true);
    expect(luhnOk('79927398710')).toBe(false);
  });

  it('high entropy needs mixed case, digits and length', () => {
    expect(looksRandom('q8Zr2LmT9vXw4KpB7nYc3HdF6sGj1Ue5')).toBe(true);
    expect(looksRandom('q8Zr2LmT9vXw4KpB7nYc')).toBe(false);
    expect(looksRandom('aaaaaaaaaaaaAAAAAAAAAAAA11111111')).toBe(false);
  });
});

describe('user terms', () => {
  const detector = userTermsDetector(['Acme Corp', 'falcon', ' ']);

  it('finds whole words, any case', () => {
    expect(found(detector, "Acme Corp's deal (project FALCON) and acme corp.")).toEqual(['Acme Corp', 'FALCON', 'acme corp']);
  });

  it('does not match inside other words', () => {
    expect(found(detector, 'Acme Corporation flies falcons to Falconer Acmeville')).toEqual([]);
  });
});

describe('user regexes run in the sandbox', () => {
  const sandbox = new ScriptSandbox({ timeoutMs: 300 });
  afterAll(() => sandbox.dispose());

  it('finds every match with its position', async () => {
    const detector = userRegexDetector(sandbox, 'TCK-\\d{4,}', 'i');
    const text = 'see TCK-12345 and tck-0042, not TCK-12';
    const spans = await detector.detect(text);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['TCK-12345', 'tck-0042']);
  });

  it('a catastrophic pattern stops at the time limit instead of blocking the main thread', async () => {
    const detector = userRegexDetector(sandbox, '(a+)+$', '');
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const error = await detector.detect(`${'a'.repeat(40)}!`).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).kind).toBe('timeout');
    // The event loop kept turning while the pattern ran.
    expect(ticks).toBeGreaterThan(5);
  });

  it('an invalid pattern is an error, not a silent pass', async () => {
    await expect(userRegexDetector(sandbox, '(unclosed', '').detect('x')).rejects.toThrow(SandboxError);
  });
});
