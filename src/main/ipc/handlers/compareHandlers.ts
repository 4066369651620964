import type { CompareService } from '../../core/compare/CompareService';
import type { DomainHandlers } from '../Router';

export function compareHandlers(compare: CompareService): DomainHandlers<'compare'> {
  return {
    'compare.start': (input) => compare.startSession(input),
    'compare.stop': ({ sessionId, slot }) => compare.stop(sessionId, slot),
    'compare.answerTools': ({ sessionId, slot, results }) => compare.answerTools(sessionId, slot, results),
    'compare.get': ({ sessionId }) => compare.get(sessionId),
    'compare.list': (input) => compare.list(input),
    'compare.vote': ({ sessionId, choice }) => compare.vote(sessionId, choice),
    'compare.reveal': ({ sessionId }) => compare.reveal(sessionId),
    'compare.leaderboard': (input) => compare.leaderboard(input),
  };
}
