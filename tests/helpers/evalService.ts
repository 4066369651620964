import type { EventBus } from '../../src/main/core/events/EventBus';
import type { EmbedFunction } from '../../src/main/core/evals/assertions/assertionHandlers';
import { EvalRunner } from '../../src/main/core/evals/EvalRunner';
import { EvalService, type EvalServiceOptions } from '../../src/main/core/evals/EvalService';
import type { GenerationService } from '../../src/main/core/generation/GenerationService';
import type { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import type { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { RunRepository } from '../../src/main/core/store/RunRepository';
import type { Store } from '../../src/main/core/store/Store';
import { SuiteRepository } from '../../src/main/core/store/SuiteRepository';

/** The evals domain wired and started the way app.ts does it, for tests that need no whole app. */
export function evalServiceFor(o: {
  store: Store;
  generation: GenerationService;
  sandbox: ScriptSandbox;
  providers?: ProviderRegistry;
  bus?: EventBus;
  embed?: EmbedFunction;
  rateLimitBackoffMs?: number;
  describeModel?: EvalServiceOptions['describeModel'];
  appVersion?: string;
}): EvalService {
  const runs = new RunRepository(o.store);
  const runner = new EvalRunner({ runs, generation: o.generation, providers: o.providers, bus: o.bus, embed: o.embed, sandbox: o.sandbox, rateLimitBackoffMs: o.rateLimitBackoffMs });
  const evals = new EvalService({ suites: new SuiteRepository(o.store), runs, runner, providers: o.providers, appVersion: o.appVersion ?? 'test', describeModel: o.describeModel });
  evals.start();
  return evals;
}
