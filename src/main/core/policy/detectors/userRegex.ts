import type { DetectedSpan } from './types';

/** What a user pattern needs from the script sandbox (ScriptSandbox implements it). */
export interface RegexSandbox {
  regexSpans(pattern: string, flags: string, text: string, options?: { signal?: AbortSignal }): Promise<Array<[number, number]>>;
}

/**
 * A user's regular expression, matched only inside the time-limited QuickJS sandbox: a
 * catastrophic pattern stops at the sandbox's limit instead of freezing the app.
 */
export function userRegexDetector(sandbox: RegexSandbox, pattern: string, flags: string) {
  return {
    async detect(text: string, options: { signal?: AbortSignal } = {}): Promise<DetectedSpan[]> {
      if (text.length === 0) return [];
      const pairs = await sandbox.regexSpans(pattern, flags, text, options);
      return pairs.filter(([s, e]) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e > s && e <= text.length).map(([start, end]) => ({ start, end }));
    },
  };
}
