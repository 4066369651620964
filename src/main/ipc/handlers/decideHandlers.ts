import type { DecideService } from '../../core/decide/DecideService';
import type { DomainHandlers } from '../Router';

export function decideHandlers(decide: DecideService): DomainHandlers<'decide'> {
  return {
    'decide.evaluate': (input) => decide.evaluate(input),
    'decide.record': (input) => decide.record(input),
    'decide.importRecord': ({ content, runId }) => decide.importRecord(content, runId),
  };
}
