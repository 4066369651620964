import { join } from 'node:path';
import type { LlamaContext } from 'node-llama-cpp';
import { afterAll, expect, it } from 'vitest';
import { LlamaEngine } from '../../src/main/core/engine/LlamaEngine';
import { PathModelResolver } from '../../src/main/core/engine/PathModelResolver';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { LocalProvider } from '../../src/main/core/providers/local/LocalProvider';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { Store } from '../../src/main/core/store/Store';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { evalServiceFor } from '../helpers/evalService';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

const engine = new LlamaEngine({ gpu: false, idleUnloadMinutes: () => 0 });
afterAll(() => engine.dispose());

/** What each cell's lease looked like when the cell got it. */
const leases: { stale: number; context: LlamaContext; active: number }[] = [];
let active = 0;
const acquire = engine.acquire.bind(engine);
engine.acquire = async (info, options) => {
  const lease = await acquire(info, options);
  active++;
  leases.push({ stale: lease.sequence.nextTokenIndex, context: lease.sequence.context, active });
  const release = lease.release;
  const giveBack = (): void => {
    if (!lease.sequence.disposed && active > 0) active--;
    release();
  };
  return { ...lease, release: giveBack, [Symbol.dispose]: giveBack };
};

it('a parallel eval run starts every cell on an empty sequence of one shared context', async () => {
  using dir = tempDir('parity-fresh-');
  const store = Store.open({ path: join(dir.path, 'fresh.db') });
  const providers = new ProviderRegistry();
  providers.register(new LocalProvider({ engine, resolver: new PathModelResolver(), defaultThreads: () => 1 }));
  const evals = evalServiceFor({ store, generation: new GenerationService(providers), providers, sandbox: new ScriptSandbox() });
  const suite = evals.createSuite(
    SuiteSpecSchema.parse({
      name: 'fresh',
      prompts: [{ template: 'Story {{n}}: once upon a time' }],
      providers: [{ id: `local:${STORIES_MODEL}`, params: { temperature: 0, seed: 1, maxTokens: 16, threads: 1, contextSize: 256, chatTemplate: 'chatml' } }],
      cases: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, vars: { n: String(i) } })),
    }),
  );
  // Twice: the second run finds the sequences the first one used.
  for (let round = 0; round < 2; round++) {
    const run = await evals.createRun({ suiteId: suite.id, concurrency: 4 });
    const done = await evals.execute(run.id);
    expect(done.doneCells).toBe(12);
  }
  expect(leases).toHaveLength(24);
  // A sequence holding an earlier cell's tokens has to be erased before the prompt, and node-llama-cpp
  // erases only between batches of the whole context: such a cell waited for every other cell's answer.
  expect(leases.map((l) => l.stale)).toEqual(leases.map(() => 0));
  expect(new Set(leases.map((l) => l.context)).size).toBe(1);
  expect(Math.max(...leases.map((l) => l.active))).toBe(4);
  await evals.dispose();
  store.dispose();
});
