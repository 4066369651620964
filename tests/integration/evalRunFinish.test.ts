import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/core/events/EventBus';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import type { StreamEvent, StreamOptions, StreamRequest } from '../../src/main/core/providers/ModelProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { Store } from '../../src/main/core/store/Store';
import type { EvalServiceOptions } from '../../src/main/core/evals/EvalService';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { CannedProvider } from '../helpers/evalFakes';
import { evalServiceFor } from '../helpers/evalService';
import { tempDir } from '../helpers/tmp';

const sandbox = new ScriptSandbox();
afterAll(() => sandbox.dispose());

/** A local model whose generations do not know the file's hash yet (it is still being computed). */
class UnhashedProvider extends CannedProvider {
  override async *stream(request: StreamRequest, options?: StreamOptions): AsyncIterable<StreamEvent> {
    for await (const event of super.stream(request, options)) yield event.type === 'done' ? { ...event, metrics: { ...event.metrics, modelSha256: null } } : event;
  }
}

const SHA = 'cd'.repeat(32);

function setup(path: string, describeModel: EvalServiceOptions['describeModel']) {
  const store = Store.open({ path });
  const providers = new ProviderRegistry();
  providers.register(new UnhashedProvider());
  const bus = new EventBus();
  const evals = evalServiceFor({ store, generation: new GenerationService(providers, { policy: { maxRetries: 0 } }), providers, bus, sandbox, describeModel });
  const suite = evals.createSuite(
    SuiteSpecSchema.parse({ name: 'finish', prompts: [{ template: 'say {{w}}' }], providers: [{ id: 'local:a' }], cases: [{ id: 'one', vars: { w: 'x' } }, { id: 'two', vars: { w: 'y' } }] }),
  );
  return { store, evals, bus, suite };
}

describe('finishing a run', () => {
  it('the run card is complete when the run is announced completed (the service completes it, then the runner finishes)', async () => {
    using dir = tempDir();
    // The hash finishes only when waited for, a little after the last cell.
    const { store, evals, bus, suite } = setup(join(dir.path, 'p.db'), async (_ref, { wait }) => (wait ? new Promise((r) => setTimeout(() => r({ sha256: SHA }), 30)) : {}));
    const seenAtCompletion: Array<string | null> = [];
    bus.on('evals.progress', (p) => {
      if (p.status === 'completed') seenAtCompletion.push(...evals.getRun(p.runId).runCard.models.map((m) => m.sha256));
    });
    const run = await evals.createRun({ suiteId: suite.id });
    expect(evals.getRun(run.id).runCard.models[0]!.sha256).toBeNull();
    const done = await evals.execute(run.id);
    expect(done.status).toBe('completed');
    expect(seenAtCompletion).toEqual([SHA]);
    store.dispose();
  });

  it('a cancel does not wait for a hash that never finishes', async () => {
    using dir = tempDir();
    const { store, evals, suite } = setup(join(dir.path, 'p.db'), async (_ref, { wait }) => (wait ? new Promise(() => undefined) : {}));
    const run = await evals.createRun({ suiteId: suite.id });
    const controller = new AbortController();
    controller.abort();
    const stopped = await evals.execute(run.id, { signal: controller.signal });
    expect(stopped.status).toBe('cancelled');
    expect(evals.getRun(run.id).runCard.models[0]!.sha256).toBeNull();
    store.dispose();
  });
});
