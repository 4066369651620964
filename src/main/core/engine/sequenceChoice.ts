import type { Token } from 'node-llama-cpp';

/**
 * Which free sequence a new generation starts on. The constraint behind every rule: node-llama-cpp
 * erases a sequence's tokens under its context's lock, and the batch loop holds that lock for as long
 * as two or more sequences have tokens queued. With at most one other sequence decoding the lock comes
 * free between its tokens, so an erase there costs about one token; with two or more it waits for
 * their answers to end.
 */
export interface SequenceCandidate<S> {
  /** null: a sequence the context has not handed out yet (empty). */
  sequence: S | null;
  /** What the sequence holds. */
  tokens: readonly Token[];
  /** Leases out on the candidate's context: the sequences that may be decoding next to it. */
  busy: number;
}

export type ChoiceKind =
  /** Holds a prefix of the prompt and nothing else: nothing to erase, the prefix is not evaluated again. */
  | 'hit'
  /** Shares at least half the prompt; the rest is erased now, which is quick on its context. */
  | 'partial'
  | 'empty'
  /** Holds something else; erased before the prompt (quick only when `cheap`). */
  | 'dirty';

export interface SequenceChoice<S> {
  candidate: SequenceCandidate<S>;
  kind: ChoiceKind;
  /** Tokens of the candidate's state the generation keeps; the rest has to be erased. */
  keep: number;
  /** The erase comes free at once or after one token (at most one other sequence may be decoding). */
  cheap: boolean;
}

/**
 * Tokens of `state` a generation of `prompt` keeps. LlamaChat and LlamaCompletion evaluate at least
 * the prompt's last token again (they align the sequence with the prompt minus that token), so a
 * state reaching to the prompt's end still loses its last token.
 */
export function reusableTokens(state: readonly Token[], prompt: readonly Token[]): number {
  const limit = Math.min(state.length, prompt.length - 1);
  let i = 0;
  while (i < limit && state[i] === prompt[i]) i++;
  return i;
}

/**
 * The best free sequence for `prompt`, in this order: a cache hit (the longest), a sequence sharing
 * at least half the prompt on a context where erasing is quick (as llama.cpp's server reuses a slot
 * whose prompt is similar enough), an empty one, then a sequence holding something else, one on a
 * quiet context first and the least recently released (first in `candidates`) among those. Without a
 * prompt nothing counts as shared. Null when there is no candidate.
 */
export function chooseSequence<S>(candidates: readonly SequenceCandidate<S>[], prompt?: readonly Token[]): SequenceChoice<S> | null {
  let hit: SequenceChoice<S> | null = null;
  let partial: SequenceChoice<S> | null = null;
  let empty: SequenceChoice<S> | null = null;
  let dirty: SequenceChoice<S> | null = null;
  for (const candidate of candidates) {
    const cheap = candidate.busy <= 1;
    if (candidate.tokens.length === 0) {
      empty ??= { candidate, kind: 'empty', keep: 0, cheap };
      continue;
    }
    const keep = prompt ? reusableTokens(candidate.tokens, prompt) : 0;
    if (keep > 0 && keep === candidate.tokens.length) {
      if (!hit || keep > hit.keep) hit = { candidate, kind: 'hit', keep, cheap };
      continue;
    }
    if (prompt && cheap && keep > 0 && keep * 2 >= prompt.length && (!partial || keep > partial.keep)) {
      partial = { candidate, kind: 'partial', keep, cheap };
      continue;
    }
    if (!dirty || (cheap && !dirty.cheap)) dirty = { candidate, kind: 'dirty', keep, cheap };
  }
  return hit ?? partial ?? empty ?? dirty;
}
