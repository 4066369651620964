import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { EchoProvider } from '../../src/main/core/providers/echo/EchoProvider';
import type { ModelProvider } from '../../src/main/core/providers/ModelProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import type { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { Store } from '../../src/main/core/store/Store';
import type { AssertionSpec, SuiteSpecInput } from '../../src/shared/domain/evals';
import { evalServiceFor } from './evalService';

/**
 * promptfoo's echo listed twice under two labels × two prompts: four outputs per case, for the
 * select-best / max-score comparisons. Prompt 2 says "loudly", so a `contains: loudly` scores its
 * outputs higher. Case i is `c<i>` with `w: word<i>`.
 */
export function echoCompareSuite(assert: AssertionSpec[], cases = 1): SuiteSpecInput {
  return {
    name: 'compare suite',
    prompts: [
      { label: 'plain', template: 'say {{w}}' },
      { label: 'loud', template: 'say {{w}} loudly' },
    ],
    providers: [
      { id: 'echo:echo', label: 'first' },
      { id: 'echo:echo', label: 'second' },
    ],
    cases: Array.from({ length: cases }, (_, i) => ({ id: `c${i}`, vars: { w: `word${i}` }, assert })),
  };
}

/** The two labelled models of echoCompareSuite, in the suite's order. */
export const ECHO_COMPARE_MODELS = ['echo:echo#first', 'echo:echo#second'];

/** A store at `path` and the evals domain over promptfoo's echo and `grader` (a CannedProvider grades as `local:judge`), without retries. */
export function echoCompareEvals(path: string, grader: ModelProvider, sandbox: ScriptSandbox) {
  const bus = new EventBus();
  const store = Store.open({ path });
  const providers = new ProviderRegistry();
  providers.register(new EchoProvider());
  providers.register(grader);
  const generation = new GenerationService(providers, { policy: { maxRetries: 0 } });
  const evals = evalServiceFor({ store, generation, providers, bus, sandbox });
  return { store, evals, bus };
}

/**
 * A signal aborted 20 ms after the `count`th stored cell: with a slow grader, the stop lands while
 * the select-best post-pass is still waiting for its answer.
 */
export function abortAfterCells(bus: EventBus, count: number): AbortSignal {
  const controller = new AbortController();
  let seen = 0;
  bus.on('evals.cellDone', () => {
    if (++seen === count) setTimeout(() => controller.abort(), 20);
  });
  return controller.signal;
}
