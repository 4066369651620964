import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeReply } from './fakeProviders/FakeProviderServer';

/** tests/fixtures/suites/policy-cost.yaml: one case holds an e-mail address, the other does not. */
export const POLICY_COST_SUITE_FILE = join(import.meta.dirname, '..', 'fixtures', 'suites', 'policy-cost.yaml');
export const POLICY_COST_SUITE = readFileSync(POLICY_COST_SUITE_FILE, 'utf8');

const USAGE = { input: 10, output: 5 };

/**
 * A reply for a chat-completions fake (compat): the last message it received, so what the model
 * saw is what it says.
 */
export function echoLastMessage(body: string): FakeReply {
  const messages = (JSON.parse(body) as { messages?: Array<{ content: string }> }).messages ?? [];
  return { chunks: [messages.at(-1)?.content ?? ''], usage: USAGE };
}

/**
 * A reply for any wire (OpenAI's Responses body has no `messages`): the phrase a policy-cost case
 * asks for, if the request carried it, else "?".
 */
export function sayPhraseBack(body: string): FakeReply {
  const phrase = ['jane.doe@example.com', 'hello there'].find((p) => body.includes(p)) ?? '?';
  return { chunks: [phrase], usage: USAGE };
}
