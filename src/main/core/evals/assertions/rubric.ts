import type { ChatMessage } from '../../../../shared/domain/generation';

/** The grading prompt: asks for one JSON object so any model, small local ones included, can answer. */
export function rubricMessages(rubric: string, output: string, vars: Record<string, string>): ChatMessage[] {
  const varsText = Object.keys(vars).length ? `\nInputs:\n${Object.entries(vars).map(([k, v]) => `- ${k}: ${v}`).join('\n')}\n` : '';
  return [
    {
      role: 'system',
      content:
        'You grade an AI answer against a rubric. Reply with ONLY a JSON object: {"pass": true|false, "score": number between 0 and 1, "reason": "one sentence"}. No other text.',
    },
    { role: 'user', content: `Rubric:\n${rubric}\n${varsText}\nAnswer to grade:\n<answer>\n${output}\n</answer>` },
  ];
}

export interface RubricVerdict {
  pass: boolean;
  score: number;
  reason: string;
}

/**
 * Reads a grader's reply robustly: the first JSON object with `pass` or `score`, else a bare
 * PASS/FAIL word, else null (the caller then fails the assertion and says why).
 */
export function parseRubricReply(reply: string): RubricVerdict | null {
  const objects = reply.match(/\{[\s\S]*?\}/g) ?? [];
  for (const text of objects) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Loose JSON from a small model: single quotes, bare True/False.
      try {
        parsed = JSON.parse(text.replace(/'/g, '"').replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false'));
      } catch {
        continue;
      }
    }
    if (!parsed || typeof parsed !== 'object') continue;
    const o = parsed as Record<string, unknown>;
    const rawScore = typeof o.score === 'number' ? o.score : typeof o.score === 'string' ? Number(o.score) : NaN;
    const rawPass = typeof o.pass === 'boolean' ? o.pass : typeof o.pass === 'string' ? /^(true|yes|pass)$/i.test(o.pass) : undefined;
    if (rawPass === undefined && Number.isNaN(rawScore)) continue;
    const score = Number.isNaN(rawScore) ? (rawPass ? 1 : 0) : Math.min(1, Math.max(0, rawScore > 1 && rawScore <= 10 ? rawScore / 10 : rawScore));
    return { pass: rawPass ?? score >= 0.5, score, reason: typeof o.reason === 'string' ? o.reason : '' };
  }
  const word = /\b(PASS|FAIL)\b/.exec(reply);
  if (word) return { pass: word[1] === 'PASS', score: word[1] === 'PASS' ? 1 : 0, reason: reply.trim().slice(0, 200) };
  return null;
}
