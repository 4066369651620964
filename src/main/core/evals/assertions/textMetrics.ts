/** Text-overlap metrics with promptfoo's definitions (levenshtein, rouge-n, bleu, word-count). */

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function ngrams(words: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  return out;
}

function counts(grams: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of grams) m.set(g, (m.get(g) ?? 0) + 1);
  return m;
}

function clippedMatches(candidate: readonly string[], reference: readonly string[]): number {
  const ref = counts(reference);
  let matched = 0;
  for (const [gram, count] of counts(candidate)) matched += Math.min(count, ref.get(gram) ?? 0);
  return matched;
}

/** Word tokens, case-insensitive, punctuation split off (as js-rouge's tokenizer does). */
function tokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

/** ROUGE-N recall: the share of the reference's n-grams found in the candidate (n = 1 by default, as js-rouge). */
export function rougeN(candidate: string, reference: string, n = 1): number {
  const ref = ngrams(tokens(reference), n);
  if (ref.length === 0) return 0;
  return clippedMatches(ngrams(tokens(candidate), n), ref) / ref.length;
}

/**
 * BLEU-4 with uniform weights, clipped n-gram precision against the best reference, the brevity
 * penalty of the reference closest in length, and 1e-7 smoothing of empty precisions (promptfoo).
 */
export function bleu(candidate: string, references: readonly string[]): number {
  const cand = candidate.toLowerCase().trim().split(/\s+/);
  const refs = references.map((r) => r.toLowerCase().trim().split(/\s+/));
  if (!candidate.trim() || refs.length === 0) return 0;
  const closest = refs.map((r) => r.length).reduce((prev, cur) => (Math.abs(cur - cand.length) < Math.abs(prev - cand.length) ? cur : prev));
  let logSum = 0;
  for (let n = 1; n <= 4; n++) {
    const grams = ngrams(cand, n);
    const best = Math.max(0, ...refs.map((r) => clippedMatches(grams, ngrams(r, n))));
    const precision = grams.length > 0 ? best / grams.length : 0;
    logSum += 0.25 * Math.log(precision === 0 ? 1e-7 : precision);
  }
  const bp = cand.length > closest ? 1 : Math.exp(1 - closest / cand.length);
  return bp * Math.exp(logSum);
}

export function wordCount(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}
