import { joinOverlaps, spansOf, type DetectedSpan, type Detector } from './types';

/** Key formats whose prefix alone says what they are. */
const KNOWN_KEYS = [
  /(?<![\w-])sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|or-v1-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic, OpenRouter
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}(?![A-Za-z0-9])/g, // AWS access key ids
  /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,255}/g, // GitHub tokens
  /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{22,255}/g,
  /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /(?<![A-Za-z0-9])(?:sk|rk)_live_[0-9A-Za-z]{16,}/g, // Stripe
  /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
];

const KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;

// The value of an assignment whose name says it is secret: `password: hunter2hunter`, `API_KEY="…"`.
const ASSIGNED = /\b(?:[A-Za-z0-9_]*(?:secret|token|passw(?:or)?d|passwd|api[_-]?key|access[_-]?key|private[_-]?key|client[_-]?secret))\b["']?\s*[:=]\s*["']?([^\s"',;]{8,})/gi;

// Long runs of base64/base62-ish characters; entropy and character mix decide.
const TOKEN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,512}={0,2}(?![A-Za-z0-9+/_=-])/g;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A random-looking token: upper case, lower case and digits all present and close to the entropy
 * of random base62 for its length. Hex digests (commit hashes, checksums) and UUIDs are left
 * alone: they are everywhere in technical text and identify, rather than unlock, things.
 */
export function looksRandom(token: string): boolean {
  const core = token.replace(/=+$/, '');
  if (core.length < 24) return false;
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/\d/.test(core)) return false;
  // Paths and identifiers made of words (some/Path/v2, Some_Class_Name2) are mostly letters in long runs.
  if (/[A-Za-z]{12,}/.test(core)) return false;
  const max = Math.log2(Math.min(core.length, 64));
  return entropy(core) >= Math.min(4.2, max - 0.7);
}

function privateKeyBlocks(text: string): DetectedSpan[] {
  const out: DetectedSpan[] = [];
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m; m = KEY_BEGIN.exec(text)) {
    const endMarker = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
    const at = text.indexOf(endMarker, m.index + m[0].length);
    // A block cut off before its END line is still the key's material: take it to the end.
    const end = at < 0 ? text.length : at + endMarker.length;
    out.push({ start: m.index, end });
    KEY_BEGIN.lastIndex = end;
  }
  return out;
}

/** API keys and tokens of known formats, private-key blocks, values assigned to secret-named keys, random-looking tokens. */
export const secretDetector: Detector = {
  detect(text) {
    const spans: DetectedSpan[] = [...privateKeyBlocks(text)];
    for (const re of KNOWN_KEYS) spans.push(...spansOf(text, re));
    spans.push(
      ...spansOf(text, ASSIGNED, (m) => {
        const value = m[1]!;
        // "the secret: something" is prose; a secret value has a digit, a capital or a symbol.
        if (/^[a-z]+$/.test(value)) return false;
        const start = m.index + m[0].length - value.length;
        return { start, end: start + value.length };
      }),
    );
    spans.push(...spansOf(text, TOKEN, (m) => looksRandom(m[0])));
    return joinOverlaps(spans);
  },
};
