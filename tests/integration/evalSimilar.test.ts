import { join } from 'node:path';
import { getLlama, type LlamaModel } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { evalServiceFor } from '../helpers/evalService';
import { LocalEmbedder } from '../../src/main/core/evals/LocalEmbedder';
import { GenerationService } from '../../src/main/core/generation/GenerationService';
import { ProviderRegistry } from '../../src/main/core/providers/ProviderRegistry';
import { Store } from '../../src/main/core/store/Store';
import { ScriptSandbox } from '../../src/main/core/sandbox/ScriptSandbox';
import { SuiteSpecSchema } from '../../src/shared/domain/evals';
import { CannedProvider } from '../helpers/evalFakes';
import { STORIES_MODEL, tempDir } from '../helpers/tmp';

describe('similar with a real local embedding model', () => {
  it('embeds with stories260K: the same text passes, unrelated text fails, graded by a canned judge', async () => {
    using dir = tempDir();
    const llama = await getLlama({ gpu: false, build: 'never' });
    const loaded: LlamaModel[] = [];
    const embedder = new LocalEmbedder({
      loadModel: async (ref) => {
        expect(ref).toBe(`local:${STORIES_MODEL}`);
        if (!loaded[0]) loaded.push(await llama.loadModel({ modelPath: STORIES_MODEL, gpuLayers: 0 }));
        return loaded[0]!;
      },
      threads: 1,
    });
    const [a, b, c] = await embedder.embed(['The cat sat on the mat.', 'The cat sat on the mat.', 'Seven ships sailed north.'], { model: `local:${STORIES_MODEL}` });
    expect(a!.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);

    const store = Store.open({ path: join(dir.path, 'p.db') });
    const providers = new ProviderRegistry();
    // The model under test always answers the same sentence; the judge always approves.
    providers.register(new CannedProvider({ answer: (model) => (model === 'judge' ? '{"pass": true, "score": 0.9, "reason": "fine"}' : 'The cat sat on the mat.') }));
    const evals = evalServiceFor({ store, generation: new GenerationService(providers), providers, embed: embedder.embed, sandbox: new ScriptSandbox() });
    const suite = evals.createSuite(
      SuiteSpecSchema.parse({
        name: 'similar',
        cases: [
          { id: 'same', vars: { prompt: 'x' }, assert: [{ type: 'similar', value: 'The cat sat on the mat.', threshold: 0.999 }] },
          { id: 'unrelated', vars: { prompt: 'y' }, assert: [{ type: 'similar', value: 'Seven ships sailed north.', threshold: 0.999 }] },
          { id: 'rubric', vars: { prompt: 'z' }, assert: [{ type: 'llm-rubric', value: 'mentions a cat' }] },
        ],
      }),
    );
    const run = await evals.createRun({ suiteId: suite.id, models: ['local:model'], embeddingModel: `local:${STORIES_MODEL}`, graderModel: 'local:judge' });
    await evals.execute(run.id);
    const cells = Object.fromEntries(evals.results(run.id).cells.map((x) => [x.caseId, x]));
    expect(cells.same!.assertions[0]).toMatchObject({ pass: true });
    expect(cells.same!.assertions[0]!.score).toBeCloseTo(1, 5);
    expect(cells.unrelated!.assertions[0]!.pass).toBe(false);
    expect(cells.unrelated!.assertions[0]!.score).toBeLessThan(0.999);
    expect(cells.rubric!.assertions[0]).toMatchObject({ pass: true, score: 0.9, reason: 'fine' });
    await evals.dispose();
    await embedder.dispose();
    for (const m of loaded) await m.dispose();
    store.dispose();
  });
});
